using Infercost.Hardware;
using Infercost.Quantities;

namespace Infercost.Serving;

// A TPU slice's ICI links join each chip to its torus neighbours only; there is no switch. A collective runs as rings
// along the torus axes, so its time depends on the slice's shape and on one link's bandwidth, not on the chip's total.
// Every constant here is physical (the spec sheet's ICI bandwidth split over the chip's ports, the slice shapes Google
// lists) or a documented default (the hop latency); nothing is fitted, and no GPU collective curve, link efficiency or
// fitted collective latency enters. See docs/methodology.md#torus-collectives.

/// <summary>Collectives on an ICI torus (Cloud TPU slices): slice shapes, all-reduce and all-to-all times.</summary>
/// <remarks>
/// Link bandwidth W (one link, one direction) = the catalog's per-chip scale-up bandwidth per direction ÷ ports, with
/// 2·d ports on a d-dimensional torus (v5e and v6e: 4 ports, Google's spec tables). An axis of n chips is a ring when its
/// ends are joined (2 links per chip along it, k = 2) or a line when not (k = 1).
/// All-reduce of B bytes: reduce-scatter then all-gather along each axis in turn, each axis working on the shard the
/// previous one left (B, B/n₁, B/(n₁n₂)); along an axis of n chips a bidirectional ring moves (n−1)/n of its input through
/// each chip's k links both ways, so the axis takes 2·Bᵢ·(nᵢ−1)/nᵢ ÷ (kᵢ·W) + 2(nᵢ−1) hop latencies (n−1 steps each
/// way). The ring cost is the standard bidirectional-ring one (Patarasuk &amp; Yuan 2009, with both directions of each
/// link used); "How to Scale Your Model" (jax-ml.github.io/scaling-book, "Sharded Matrices") prices an ICI axis the same
/// way, an all-gather or reduce-scatter of V bytes at about V ÷ (one link's bidirectional bandwidth), an all-reduce at
/// twice that. Done axis by axis this is a bound: an implementation that splits the message over several axis orders
/// keeps every axis busy at once and can be up to d times faster on a d-axis slice.
/// All-to-all of V bytes per chip (spread evenly over the group): along axis i the average route is nᵢ/4 hops on a ring,
/// so its links carry V·nᵢ/(4·kᵢ) bytes each per direction (a line's middle link the same with kᵢ = 1); axes carry their
/// traffic at once, so the time is maxᵢ V·nᵢ/(4·kᵢ·W) + the diameter's hop latencies.
/// </remarks>
public static class TorusCollectives
{
    /// <summary>Smallest axis of a 3D slice with wraparound links on every axis: "All 4x4x4 and larger slices (one
    /// cube) have full 3D torus" (Cloud TPU v5p page); smaller 3D slices are meshes (every axis a line).</summary>
    public const int FullTorus3dAxis = 4;

    /// <summary>Whether a collective over <paramref name="devices"/> devices of <paramref name="accelerator"/> runs on its
    /// torus: the accelerator has a torus interconnect with a scale-up bandwidth and the group fits in one domain.</summary>
    public static bool Applies(Accelerator accelerator, int devices)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return accelerator.Interconnect != Interconnect.Switch && accelerator.ScaleUpBandwidth is not null
            && devices > 1 && devices <= accelerator.ScaleUpDomain;
    }

    /// <summary>The slice a group of <paramref name="devices"/> chips occupies on a <paramref name="dimensions"/>-axis
    /// torus, axes in ascending order (sizes of 1 included): prime factors, largest first, each multiplying the smallest
    /// axis so far. For powers of two this gives Google's slice shapes: 2D 1x2, 2x2, 2x4, 4x4, 4x8, 8x8, 8x16, 16x16 (v5e
    /// page); 3D 1x1x2, 1x2x2, 2x2x2, 2x2x4, 2x4x4, 4x4x4, 4x4x8 (v5p page lists 2x2x1, 2x2x2, 2x4x4, 4x4x4, 4x4x8). Other
    /// counts get the most even factorisation (6 chips: 2x3), a shape Google does not sell.</summary>
    public static IReadOnlyList<int> SliceShape(int devices, int dimensions)
    {
        Guard.InRange(devices, 1, int.MaxValue, "devices");
        Guard.InRange(dimensions, 1, 3, "dimensions");
        var axes = new int[dimensions];
        Array.Fill(axes, 1);
        foreach (var prime in PrimeFactorsDescending(devices))
        {
            var smallest = 0;
            for (var i = 1; i < dimensions; i++)
            {
                if (axes[i] < axes[smallest]) smallest = i;
            }

            axes[smallest] *= prime;
        }

        Array.Sort(axes);
        return axes;
    }

    private static List<int> PrimeFactorsDescending(int n)
    {
        var factors = new List<int>();
        for (var p = 2; (long)p * p <= n; p++)
        {
            while (n % p == 0)
            {
                factors.Add(p);
                n /= p;
            }
        }

        if (n > 1) factors.Add(n);
        factors.Reverse();
        return factors;
    }

    /// <summary>Whether the axes of <paramref name="shape"/> on a <paramref name="dimensions"/>-axis torus are rings
    /// (wraparound links) or lines: on a 2D torus every axis is a ring (Google calls v5e and v6e slices a 2D torus and
    /// qualifies nothing; an axis of 2 then has both its ports on the one neighbour); on a 3D torus every axis is a ring
    /// only when every axis of more than one chip has at least <see cref="FullTorus3dAxis"/>.</summary>
    public static bool Wraps(IReadOnlyList<int> shape, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return dimensions < 3 || shape.Where(n => n > 1).All(n => n >= FullTorus3dAxis);
    }

    /// <summary>Bandwidth of one ICI link in one direction: <paramref name="perChipPerDirection"/> ÷ 2·<paramref name="dimensions"/> ports.</summary>
    public static BytesPerSecond LinkBandwidth(BytesPerSecond perChipPerDirection, int dimensions) =>
        perChipPerDirection / (2.0 * dimensions);

    /// <summary>Time of one all-reduce of <paramref name="message"/> bytes over a slice of <paramref name="shape"/>, axis
    /// by axis (reduce-scatter and all-gather on the shrinking shard), with <paramref name="link"/> per link and direction
    /// and <paramref name="hopLatency"/> per ring step, as the type's remarks give it.</summary>
    public static Seconds AllReduce(Bytes message, IReadOnlyList<int> shape, bool wraps, BytesPerSecond link, Seconds hopLatency) =>
        Seconds.FromSeconds(AllReduceSeconds(message.Value, shape, wraps, link.Value, hopLatency.Value));

    /// <summary>Time of one all-to-all in which each chip sends <paramref name="perDevice"/> bytes spread evenly over the
    /// slice, as the type's remarks give it.</summary>
    public static Seconds AllToAll(Bytes perDevice, IReadOnlyList<int> shape, bool wraps, BytesPerSecond link, Seconds hopLatency) =>
        Seconds.FromSeconds(AllToAllSeconds(perDevice.Value, shape, wraps, link.Value, hopLatency.Value));

    /// <summary><see cref="AllReduce(Bytes, IReadOnlyList{int}, bool, BytesPerSecond, Seconds)"/> on <paramref name="accelerator"/>'s
    /// torus for a group of <paramref name="devices"/> chips, seconds.</summary>
    internal static double AllReduceSeconds(Accelerator accelerator, double message, int devices)
    {
        var (shape, wraps, link, hop) = Terms(accelerator, devices);
        return AllReduceSeconds(message, shape, wraps, link, hop);
    }

    /// <summary><see cref="AllToAll(Bytes, IReadOnlyList{int}, bool, BytesPerSecond, Seconds)"/> on <paramref name="accelerator"/>'s
    /// torus for a group of <paramref name="devices"/> chips, seconds.</summary>
    internal static double AllToAllSeconds(Accelerator accelerator, double perDevice, int devices)
    {
        var (shape, wraps, link, hop) = Terms(accelerator, devices);
        return AllToAllSeconds(perDevice, shape, wraps, link, hop);
    }

    /// <summary>The slice shape and link terms a group of <paramref name="devices"/> chips of <paramref name="accelerator"/> gets.</summary>
    public static (IReadOnlyList<int> Shape, bool Wraps, double LinkBytesPerSecond, double HopLatencySeconds) Terms(Accelerator accelerator, int devices)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var dimensions = accelerator.Interconnect.Dimensions();
        var shape = SliceShape(devices, dimensions);
        var link = LinkBandwidth(accelerator.ScaleUpBandwidth ?? accelerator.ScaleOutBandwidth, dimensions).Value;
        return (shape, Wraps(shape, dimensions), link, (accelerator.HopLatency ?? Accelerator.DefaultHopLatency).Value);
    }

    /// <summary>The slice shape as Google writes it (<c>2x4</c>, <c>2x2x2</c>), axes of 1 dropped (a 2-chip group is <c>1x2</c>).</summary>
    public static string ShapeText(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var used = shape.Where(n => n > 1).ToList();
        if (used.Count < 2) used.Insert(0, 1);
        return string.Join("x", used);
    }

    private static double AllReduceSeconds(double message, IReadOnlyList<int> shape, bool wraps, double link, double hop)
    {
        // Every axis has the same k here (all rings or all lines), so the order of the axes does not change the sum.
        var k = wraps ? 2.0 : 1.0;
        var shard = message;
        var time = 0.0;
        foreach (var n in shape.Where(n => n > 1).OrderByDescending(n => n))
        {
            time += 2 * shard * (n - 1.0) / n / (k * link) + 2 * (n - 1) * hop;
            shard /= n;
        }

        return time;
    }

    private static double AllToAllSeconds(double perDevice, IReadOnlyList<int> shape, bool wraps, double link, double hop)
    {
        var k = wraps ? 2.0 : 1.0;
        var bandwidth = 0.0;
        var diameter = 0;
        foreach (var n in shape.Where(n => n > 1))
        {
            bandwidth = Math.Max(bandwidth, perDevice * n / (4 * k * link));
            diameter += wraps ? n / 2 : n - 1;
        }

        return bandwidth + diameter * hop;
    }
}
