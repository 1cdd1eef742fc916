using CsCheck;
using Infercost.Quantities;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Serving;

public class TorusCollectivesProperties
{
    [Fact]
    public void SliceShape_AlwaysHoldsExactlyTheGroup()
    {
        // For any group of chips and either torus, the slice's axes multiply to the group and are sorted
        Gen.Select(Gen.Int[1, 4096], Gen.Int[2, 3]).Sample((chips, d) =>
        {
            var shape = TorusCollectives.SliceShape(chips, d);
            Assert.Equal(d, shape.Count);
            Assert.Equal(chips, shape.Aggregate(1, (a, n) => a * n));
            Assert.True(shape.Zip(shape.Skip(1)).All(p => p.First <= p.Second));
        });
    }

    [Fact]
    public void AllReduce_BandwidthTerm_IsTheRingOverTheWholeSliceAtOneAxissLinks()
    {
        // For any slice, message and link: with no hop latency, axis by axis telescopes to 2·M·(N − 1)/N / (k·W)
        Gen.Select(Gen.Int[1, 16].Array[2, 3], Gen.Double[1e3, 1e9], Gen.Double[1, 1000], Gen.Bool).Sample((shape, message, gbps, wraps) =>
        {
            var n = shape.Aggregate(1, (a, x) => a * x);
            var time = TorusCollectives.AllReduce(Bytes.FromBytes(message), shape, wraps, BytesPerSecond.FromGigabytesPerSecond(gbps), Seconds.Zero);
            var expected = 2 * message * (n - 1.0) / n / ((wraps ? 2 : 1) * gbps * 1e9);
            Assert.Equal(expected, time.Value, expected * 1e-12 + 1e-18);
        });
    }

    [Fact]
    public void MoreLinkBandwidth_NeverSlowsACollective()
    {
        Gen.Select(Gen.Int[1, 16].Array[2, 3], Gen.Double[1e3, 1e9], Gen.Double[1, 500], Gen.Double[1, 4]).Sample((shape, message, gbps, more) =>
        {
            var hop = Seconds.FromMicroseconds(1);
            var slow = BytesPerSecond.FromGigabytesPerSecond(gbps);
            var fast = BytesPerSecond.FromGigabytesPerSecond(gbps * more);
            var bytes = Bytes.FromBytes(message);
            Assert.True(TorusCollectives.AllReduce(bytes, shape, true, fast, hop) <= TorusCollectives.AllReduce(bytes, shape, true, slow, hop));
            Assert.True(TorusCollectives.AllToAll(bytes, shape, true, fast, hop) <= TorusCollectives.AllToAll(bytes, shape, true, slow, hop));
        });
    }
}
