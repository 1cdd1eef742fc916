using Infercost.Simulation.Traces;
using Xunit;

namespace Infercost.Tests.Simulation.Traces;

public sealed class TraceReplayTests
{
    private static readonly List<TraceRecord> Azure = TraceFiles.Load(TraceFiles.AzureConversation);

    [Fact]
    public void Requests_AtTwiceTheSpeed_HalveEveryTime()
    {
        var whole = TraceReplay.Whole.Requests(Azure).ToList();
        var fast = new TraceReplay(Speed: 2).Requests(Azure).ToList();

        Assert.Equal(whole.Count, fast.Count);
        Assert.All(whole.Zip(fast), p => Assert.Equal(p.First.ArrivalTime / 2, p.Second.ArrivalTime, 12));
        Assert.Equal(whole.Select(r => r.PromptTokens), fast.Select(r => r.PromptTokens));
    }

    [Fact]
    public void Requests_InAWindow_StartAtZeroAndStopAtItsEnd()
    {
        // Given the window from 10 to 20 minutes
        var stats = new TraceStats();
        var window = new TraceReplay(WindowStart: 600, WindowEnd: 1200).Requests(Azure, stats).ToList();

        // Then exactly the requests recorded in [600 s, 1200 s) are replayed, shifted by 600 s
        var expected = Azure.Where(r => r.Time >= 600 && r.Time < 1200).ToList();
        Assert.Equal(expected.Count, window.Count);
        Assert.Equal(expected[0].Time - 600, window[0].ArrivalTime, 9);
        Assert.True(window[^1].ArrivalTime < 600);
        Assert.Equal(expected.Count, stats.Emitted);
        Assert.Equal(Enumerable.Range(0, window.Count).Select(i => (long)i), window.Select(r => r.Id));
    }

    [Fact]
    public void Requests_Sampled_KeepAboutTheFractionAndAreSeeded()
    {
        var a = new TraceReplay(SampleFraction: 0.25, Seed: 7).Requests(Azure).ToList();
        var b = new TraceReplay(SampleFraction: 0.25, Seed: 7).Requests(Azure).ToList();
        var c = new TraceReplay(SampleFraction: 0.25, Seed: 8).Requests(Azure).ToList();

        // 19,366 × 0.25 = 4,841.5, binomial σ ≈ 60
        Assert.InRange(a.Count, 4_600, 5_100);
        Assert.Equal(a, b);
        Assert.NotEqual(a.Select(r => r.ArrivalTime), c.Select(r => r.ArrivalTime));
    }

    [Fact]
    public void Requests_WithALimit_StopReadingThere()
    {
        var pulled = 0;
        IEnumerable<TraceRecord> Counting()
        {
            foreach (var r in Azure)
            {
                pulled++;
                yield return r;
            }
        }

        var first = new TraceReplay(MaxRequests: 100).Requests(Counting()).ToList();

        Assert.Equal(100, first.Count);
        Assert.Equal(101, pulled); // the 101st is read to learn the limit is reached, and nothing after it
    }

    [Theory]
    [InlineData(0.0, null, null, 1.0, "traceSpeed must be in [0.001, 1E+06]; was 0.")]
    [InlineData(1.0, 600.0, 300.0, 1.0, "traceWindow must end after it starts; was 600 s to 300 s.")]
    [InlineData(1.0, null, null, 0.0, "traceSample must be in (0, 1]; was 0.")]
    public void Validated_OutOfRange_NamesTheField(double speed, double? start, double? end, double sample, string message)
    {
        var e = Assert.Throws<InvalidInputException>(() => new TraceReplay(speed, start, end, sample).Validated());

        Assert.Equal(message, e.Message);
    }
}
