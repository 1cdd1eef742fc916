namespace Infercost.Simulation;

/// <summary>Independent runs (seeds, Monte-Carlo draws, configurations) on all cores. Run i gets the seed
/// <see cref="SeedOf"/>(seed, i) whichever thread runs it and in whatever order, and results come back in run order, so
/// the answer does not depend on the number of cores.</summary>
public static class ParallelRuns
{
    /// <summary>The most runs one call takes.</summary>
    public const int MaxRuns = 100_000;

    /// <summary>Run <paramref name="run"/>'s seed: SplitMix64 (Steele, Lea and Flood 2014) of the base seed and the
    /// run's index, so neighbouring runs get unrelated streams; run 0 keeps <paramref name="seed"/> itself, so one run
    /// is the run a single seed gives.</summary>
    public static long SeedOf(long seed, int run)
    {
        if (run == 0) return seed;
        var z = unchecked((ulong)seed + (ulong)run * 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (long)((z ^ (z >> 31)) >> 1); // non-negative
    }

    /// <summary>Runs <paramref name="run"/>(i, seed of i) for i in [0, <paramref name="runs"/>) on up to
    /// <paramref name="maxParallelism"/> threads (null: one per core); the results in run order.</summary>
    /// <exception cref="InvalidInputException"><paramref name="runs"/> or <paramref name="maxParallelism"/> out of range.</exception>
    public static T[] Run<T>(int runs, long seed, Func<int, long, T> run, int? maxParallelism = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        Guard.InRange(runs, 1, MaxRuns, "runs");
        if (maxParallelism is { } p) Guard.InRange(p, 1, 4096, "parallelism");
        var results = new T[runs];
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism ?? Environment.ProcessorCount };
        try
        {
            Parallel.For(0, runs, options, i => results[i] = run(i, SeedOf(seed, i)));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // A bad input fails every run alike: report the first, as a sequential loop would, not the aggregate.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }

        return results;
    }
}
