using Infercost.Serving;
using Infercost.Simulation;

namespace Infercost.Requests;

/// <summary>One replica's setup, the fleet size, the simulation options and the length distributions a simulation
/// request resolves to.</summary>
/// <param name="Subject">Model and accelerator.</param>
/// <param name="Setup">One replica: layout, precisions, efficiency.</param>
/// <param name="Replicas">Replicas in the fleet (devices ÷ devices per replica).</param>
/// <param name="Options">Scheduler (per replica), SLO, cost basis, router.</param>
/// <param name="Input">Prompt lengths.</param>
/// <param name="Output">Output lengths.</param>
public sealed record SimulationSetup(Subject Subject, ServingSetup Setup, int Replicas, SimulationOptions Options,
    LengthDistribution Input, LengthDistribution Output);

// simulate and frontier (and plan, still in the CLI) share a serving request, the rental or owned basis, and the
// workload's length distributions. Durations are strings as typed ("2s", "50ms", "24h", or seconds), parsed by the
// core, so a message can quote what the user gave and a saved scenario keeps it. Files the CLI reads (histograms, a
// rate curve) arrive as their CSV text, never as a path.

/// <summary>The fields every simulation question shares: a serving request (no <c>batch</c>: the scheduler batches,
/// no <c>utilisation</c>: idle time is simulated and paid for), lengths, KV block size and the seed.</summary>
public abstract record SimulationRequest : PricedRequest
{
    /// <summary>Accepted ranges.</summary>
    public static readonly WholeField BlockSizeField = new("blockSize", 1, 4096), SeedField = new("seed", 0, int.MaxValue);

    /// <summary>Prompt lengths: <c>N</c> or <c>lognormal:MEDIAN:SIGMA[:MAX]</c>; overrides <c>input</c>.</summary>
    public string? InputDist { get; init; }

    /// <summary>Output lengths: <c>N</c> or <c>lognormal:MEDIAN:SIGMA[:MAX]</c>; overrides <c>output</c>.</summary>
    public string? OutputDist { get; init; }

    /// <summary>Prompt lengths from a histogram: the CSV text of <c>tokens,weight</c> lines (the CLI reads <c>--input-hist FILE</c>).</summary>
    public string? InputHist { get; init; }

    /// <summary>Output lengths from a histogram: the CSV text of <c>tokens,weight</c> lines.</summary>
    public string? OutputHist { get; init; }

    /// <summary>Tokens per KV-cache block.</summary>
    public int BlockSize { get; init; } = SchedulerConfig.Default.BlockTokens;

    /// <summary>Seed of every random draw: the same seed reproduces the run exactly.</summary>
    public int Seed { get; init; } = 1;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Batch is not null) throw RequestFields.Error("batch", "{batch} does not apply to a simulation: the scheduler batches, up to {maxBatch}.");
        if (Utilisation != NumberRange.Of(1)) throw RequestFields.Error("utilisation", "{utilisation} does not apply to a simulation: idle time is simulated and paid for.");
        BlockSizeField.Check(BlockSize);
        SeedField.Check(Seed);
        if (InputDist is not null && InputHist is not null) throw RequestFields.Error("inputDist", "{inputDist} and {inputHist} both give the prompt lengths; use one.");
        if (OutputDist is not null && OutputHist is not null) throw RequestFields.Error("outputDist", "{outputDist} and {outputHist} both give the output lengths; use one.");
    }

    /// <summary>Validates and resolves the replica, fleet, options and lengths for <paramref name="subject"/>.</summary>
    /// <param name="subject">Model and accelerator.</param>
    /// <param name="histogramSources">How histogram problems name their source (the CLI's file paths); default the field names.</param>
    /// <exception cref="InvalidInputException">A field out of range, or not even the shortest request fits.</exception>
    /// <exception cref="ModelDoesNotFitException">The weights do not fit.</exception>
    public SimulationSetup Prepare(Subject subject, (string? Input, string? Output) histogramSources = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Validate();
        var config = ToConfig(subject).Validated();
        var setup = new ServingSetup(subject.Model, subject.Accelerator,
            config.Parallelism ?? ParallelismPlanner.Choose(subject.Model, subject.Accelerator, config), config);
        var replicas = config.TotalDevices / setup.DevicesPerReplica;
        // The field accepts any cluster size the costing does; the simulator's own limit is on replicas, said in gpus.
        if (replicas > ServingSimulator.MaxReplicas)
        {
            throw RequestFields.Error("gpus", $"{{gpus}} {config.TotalDevices} makes {replicas} replicas of {setup.DevicesPerReplica} device(s); a simulation runs at most {ServingSimulator.MaxReplicas} replicas. Simulate one share of the fleet and scale.");
        }

        // The engine profile's scheduler defaults apply where maxBatch and prefillChunk are not given (ToConfig).
        var scheduler = new SchedulerConfig(config.PrefillChunkTokens, config.MaxBatch, BlockSize).Validated();
        // maxBatch is per attention-DP rank (each rank schedules its own batch); the simulated replica holds them all.
        scheduler = scheduler with { MaxRunningSequences = (int)Math.Min(1_000_000, (long)scheduler.MaxRunningSequences * setup.Parallelism.AttentionData) };
        var options = Options(new SimulationOptions(scheduler, Slo.Default, Basis()), setup);
        var input = Lengths(InputDist, InputHist, Input, "inputDist", histogramSources.Input ?? "inputHist");
        var output = Lengths(OutputDist, OutputHist, Output, "outputDist", histogramSources.Output ?? "outputHist");
        RequestFit.EnsureShortestFits(setup, input, output);
        return new SimulationSetup(subject, setup, replicas, options, input, output);
    }

    /// <summary>The question's own simulation options over <paramref name="options"/> (SLO, router, prefix cache) for one
    /// replica of <paramref name="setup"/>.</summary>
    protected virtual SimulationOptions Options(SimulationOptions options, ServingSetup setup) => options;

    /// <summary>A duration field in seconds, or <paramref name="fallback"/> when not given.</summary>
    /// <exception cref="InvalidInputException">Not a duration, or out of [<paramref name="low"/>, <paramref name="high"/>].</exception>
    protected static double ParseDuration(string? text, string field, double low, double high, double fallback) =>
        text is null ? fallback : DurationText.ParseSeconds(text, field, low, high);

    private static LengthDistribution Lengths(string? dist, string? histogram, int fixedTokens, string field, string histogramSource)
    {
        if (histogram is not null) return EmpiricalLength.ParseCsv(histogram, histogramSource);
        return dist is not null ? LengthDistribution.Parse(dist, field) : new FixedLength(fixedTokens);
    }

    /// <summary>A length distribution in words, for reports.</summary>
    public static string Describe(LengthDistribution d) => d switch
    {
        FixedLength f => $"{f.Tokens} tokens",
        LognormalLength l => $"lognormal, median {Guard.Format(l.Median)}, σ {Guard.Format(l.Sigma)} (mean {Number(l.Mean)})",
        _ => $"histogram (mean {Number(d.Mean)})",
    };

    /// <summary>An arrival process in words, for reports.</summary>
    public static string Describe(ArrivalProcess a) =>
        (a.Kind == ArrivalKind.Poisson ? "Poisson" : $"gamma (cv {Guard.Format(a.CoefficientOfVariation)})") +
        (a.Rate.IsFlat ? $" at {Number(a.Rate.Peak)} req/s" : $", day curve peaking at {Number(a.Rate.Peak)} req/s (mean {Number(a.Rate.Mean)})");

    /// <summary>A number as the reports print it (the CLI's tables too): 3 significant figures below 1,000, grouped
    /// thousands above, scientific beyond 1e15 or below 1e-4.</summary>
    public static string Number(double value)
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (!double.IsFinite(value)) return Guard.Format(value);
        var abs = Math.Abs(value);
        if (abs == 0) return "0";
        if (abs >= 1e15 || abs < 1e-4) return value.ToString("0.##e+0", inv);
        if (abs >= 1000) return value.ToString("N0", inv);
        var magnitude = (int)Math.Floor(Math.Log10(abs));
        return value.ToString("N" + Math.Max(0, 2 - magnitude), inv);
    }

    /// <summary>A count with an SI-style suffix (1.23 k, 4.56 M, 7.89 B), as the CLI prints counts.</summary>
    public static string Count(double value) => Math.Abs(value) switch
    {
        >= 1e12 => Number(value / 1e12) + " T",
        >= 1e9 => Number(value / 1e9) + " B",
        >= 1e6 => Number(value / 1e6) + " M",
        >= 1e4 => Number(value / 1e3) + " k",
        _ => Number(value),
    };
}
