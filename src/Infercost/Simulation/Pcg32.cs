namespace Infercost.Simulation;

// A generator written here rather than System.Random so that a seed means the same stream on every .NET version and
// platform (System.Random's seeded algorithm is an implementation detail), and so the simulator's hot loop draws
// numbers without virtual calls. PCG-XSH-RR 64/32 (O'Neill 2014, pcg-random.org), with the reference increment.

/// <summary>A small, fast, seedable random source (PCG-XSH-RR) with the draws the workload generator needs.</summary>
public sealed class Pcg32
{
    private const ulong Multiplier = 6364136223846793005UL;
    private const ulong Increment = 1442695040888963407UL;
    private ulong _state;

    /// <summary>A generator whose whole stream is fixed by <paramref name="seed"/>.</summary>
    public Pcg32(long seed)
    {
        _state = 0;
        NextUInt();
        _state += unchecked((ulong)seed);
        NextUInt();
    }

    /// <summary>The next 32 random bits.</summary>
    public uint NextUInt()
    {
        var old = _state;
        _state = unchecked(old * Multiplier + Increment);
        var xorShifted = (uint)(((old >> 18) ^ old) >> 27);
        var rot = (int)(old >> 59);
        return (xorShifted >> rot) | (xorShifted << (-rot & 31));
    }

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    public double NextDouble()
    {
        var bits = ((ulong)NextUInt() << 21) ^ NextUInt();
        return (bits & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));
    }

    /// <summary>Uniform in (0, 1]: safe to take the logarithm of.</summary>
    public double NextOpenDouble() => 1.0 - NextDouble();

    /// <summary>Exponential with mean 1.</summary>
    public double NextExponential() => -Math.Log(NextOpenDouble());

    /// <summary>Standard normal (Box–Muller, one value per call).</summary>
    public double NextNormal() => Math.Sqrt(-2.0 * Math.Log(NextOpenDouble())) * Math.Cos(2 * Math.PI * NextDouble());

    /// <summary>Gamma with shape <paramref name="shape"/> and scale 1 (Marsaglia &amp; Tsang 2000; shapes below 1 by
    /// the U^(1/k) boost).</summary>
    public double NextGamma(double shape)
    {
        if (shape < 1) return NextGamma(shape + 1) * Math.Pow(NextOpenDouble(), 1.0 / shape);
        var d = shape - 1.0 / 3;
        var c = 1.0 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = NextNormal();
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            var u = NextOpenDouble();
            if (u < 1 - 0.0331 * x * x * x * x) return d * v;
            if (Math.Log(u) < 0.5 * x * x + d * (1 - v + Math.Log(v))) return d * v;
        }
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool NextBool(double p) => NextDouble() < p;
}
