using System.CommandLine;
using System.CommandLine.Parsing;
using Infercost.Quantities;
using Infercost.Requests;
using Infercost.Simulation;

namespace Infercost.Cli.Inputs;

// Shared by simulate, plan and frontier.

/// <summary>Workload, scheduler and SLO options of the simulation commands.</summary>
internal sealed class SimulationInputs
{
    public Option<string?> Arrival { get; } = new("--arrival") { Description = "Gaps between arrivals: poisson or gamma. Default: poisson.", HelpName = "poisson|gamma" };
    public Option<double> Cv { get; } = CliOptions.Double("--cv", "With --arrival gamma: coefficient of variation of the gaps (above 1 is bursty).", "F", CliOptions.InRange(0.05, 20), 2);
    public Option<bool> Diurnal { get; } = new("--diurnal") { Description = "Vary the rate over the day with the built-in shape (--rate is the peak hour; trough 25% at 03:00–05:00, mean 69%)." };
    public Option<string?> RateCurveFile { get; } = new("--rate-curve") { Description = "A CSV of hour,rate lines (hours 0–23, requests per second) giving the day's load.", HelpName = "FILE.csv" };
    public Option<string?> InputDist { get; } = new("--input-dist") { Description = "Prompt lengths: N or lognormal:MEDIAN:SIGMA[:MAX]. Overrides --input.", HelpName = "DIST" };
    public Option<string?> OutputDist { get; } = new("--output-dist") { Description = "Output lengths: N or lognormal:MEDIAN:SIGMA[:MAX]. Overrides --output.", HelpName = "DIST" };
    public Option<string?> InputHistogram { get; } = new("--input-hist") { Description = "Prompt lengths from a histogram CSV of tokens,weight lines.", HelpName = "FILE.csv" };
    public Option<string?> OutputHistogram { get; } = new("--output-hist") { Description = "Output lengths from a histogram CSV of tokens,weight lines.", HelpName = "FILE.csv" };
    public Option<double?> Turns { get; } = CliOptions.OptionalDouble("--turns", "Multi-turn sessions with this mean number of turns; each turn's prompt repeats the conversation so far.", "N", CliOptions.InRange(1, 1000));
    public Option<double> ThinkTime { get; } = Duration("--think-time", "With --turns: mean time between a session's turns.", 0, 86_400, 30);
    public Option<double> PrefixHit { get; } = CliOptions.Double("--prefix-hit", "With --turns: probability a follow-up turn finds the conversation so far in the prefix cache.", "F", CliOptions.InRange(0, 1), 0.8);
    public Option<int> BlockSize { get; } = CliOptions.Int("--block-size", "Tokens per KV-cache block.", 1, 4096, SchedulerConfig.Default.BlockTokens);
    public Option<double> SloTtft { get; } = Duration("--slo-ttft", "Time-to-first-token target (for example 2s).", 1e-6, 86_400, Slo.Default.TimeToFirstToken.Value);
    public Option<double> SloTpot { get; } = Duration("--slo-tpot", "Time-per-output-token target (for example 50ms).", 1e-6, 3600, Slo.Default.TimePerOutputToken.Value);
    public Option<string?> Router { get; } = new("--router")
    {
        Description = "How arrivals are spread over the replicas: least-requests (fewest outstanding requests), round-robin, least-tokens " +
            "(fewest outstanding tokens), p2c (power of two choices), session (a session's turns stick to its replicas) or prefix " +
            "(requests sharing a first prefix block stick to the replicas caching it). Default: least-requests.",
        HelpName = "POLICY",
    };
    public Option<int> Seed { get; } = CliOptions.Int("--seed", "Seed of every random draw: the same seed reproduces the run exactly.", 0, int.MaxValue, 1);

    /// <summary>A duration option (2s, 50ms, 1.5) with a default in seconds.</summary>
    public static Option<double> Duration(string name, string description, double low, double high, double defaultValue) => CliOptions.Declare(new Option<double>(name)
    {
        Description = description + $" Default: {Guard.Format(defaultValue)} s.",
        HelpName = "DURATION",
        DefaultValueFactory = _ => defaultValue,
        CustomParser = r => ParseDuration(r, low, high) ?? defaultValue,
    }, CliOptions.InRange(low, high));

    /// <summary>An optional duration option.</summary>
    public static Option<double?> Duration(string name, string description, double low, double high) => CliOptions.Declare(new Option<double?>(name)
    {
        Description = description,
        HelpName = "DURATION",
        CustomParser = r => ParseDuration(r, low, high),
    }, CliOptions.InRange(low, high));

    public void AddTo(Command command, bool sessions)
    {
        Option[] options = [Arrival, Cv, Diurnal, RateCurveFile, InputDist, OutputDist, InputHistogram, OutputHistogram, BlockSize, SloTtft, SloTpot, Seed];
        foreach (var option in options) command.Options.Add(option);
        if (!sessions) return;
        foreach (var option in new Option[] { Turns, ThinkTime, PrefixHit }) command.Options.Add(option);
    }

    public static SchedulerConfig Scheduler(ParseResult parse, ServingInputs serving, SimulationInputs inputs)
    {
        // The engine profile's scheduler defaults apply where --prefill-chunk and --max-batch are not given.
        var config = serving.Config(parse);
        return new SchedulerConfig(config.PrefillChunkTokens, config.MaxBatch, parse.GetValue(inputs.BlockSize)).Validated();
    }

    public Slo SloOf(ParseResult parse) =>
        new Slo(Seconds.FromSeconds(parse.GetValue(SloTtft)), Seconds.FromSeconds(parse.GetValue(SloTpot))).Validated();

    public long SeedOf(ParseResult parse) => parse.GetValue(Seed);

    public RouterPolicy RouterOf(ParseResult parse) => parse.GetValue(Router) is { } text ? RouterPolicies.Parse(text) : RouterPolicy.LeastRequests;

    public LengthDistribution InputOf(ParseResult parse, ServingInputs serving, CliContext context) =>
        Lengths(parse, InputDist, InputHistogram, parse.GetValue(serving.Input), "input-dist", context);

    public LengthDistribution OutputOf(ParseResult parse, ServingInputs serving, CliContext context) =>
        Lengths(parse, OutputDist, OutputHistogram, parse.GetValue(serving.Output), "output-dist", context);

    public static LengthDistribution Lengths(ParseResult parse, Option<string?> dist, Option<string?> histogram, int fixedTokens, string field, CliContext context)
    {
        var text = parse.GetValue(dist);
        var file = parse.GetValue(histogram);
        if (text is not null && file is not null) throw new InvalidInputException(field, $"--{field} and {histogram.Name} both give the lengths; use one.");
        if (file is not null) return EmpiricalLength.ParseCsv(context.ReadText(file, histogram.Name), file);
        return text is not null ? LengthDistribution.Parse(text, field) : new FixedLength(fixedTokens);
    }

    /// <summary>The day's rates: --rate-curve, else --rate (with --diurnal, as the peak).</summary>
    public RateCurve CurveOf(ParseResult parse, Option<double?> rate, CliContext context)
    {
        var file = parse.GetValue(RateCurveFile);
        var r = parse.GetValue(rate);
        if (file is not null)
        {
            if (r is not null || parse.GetValue(Diurnal)) throw new InvalidInputException("rate-curve", "--rate-curve gives the whole day's rates; drop --rate and --diurnal.");
            return RateCurve.ParseCsv(context.ReadText(file, "--rate-curve"), file);
        }

        if (r is not { } value) throw new InvalidInputException("rate", "rate is required: give --rate REQ/S, --rate-curve FILE or --concurrency N.");
        return parse.GetValue(Diurnal) ? RateCurve.Diurnal(value) : RateCurve.Constant(value);
    }

    public ArrivalProcess ArrivalsOf(ParseResult parse, RateCurve curve)
    {
        var kind = parse.GetValue(Arrival)?.Trim().ToLowerInvariant() switch
        {
            null or "poisson" => ArrivalKind.Poisson,
            "gamma" => ArrivalKind.Gamma,
            var other => throw new InvalidInputException("arrival", $"arrival must be poisson or gamma; was '{other}'."),
        };
        if (kind != ArrivalKind.Gamma && parse.GetResult(Cv) is { Implicit: false })
        {
            throw new InvalidInputException("cv", "--cv shapes gamma arrivals; add --arrival gamma, or drop --cv.");
        }

        return new ArrivalProcess(curve, kind, kind == ArrivalKind.Gamma ? parse.GetValue(Cv) : 1).Validated();
    }

    public SessionSpec? SessionsOf(ParseResult parse) =>
        parse.GetValue(Turns) is { } turns ? new SessionSpec(turns, parse.GetValue(ThinkTime), parse.GetValue(PrefixHit)).Validated() : null;

    public static string Describe(LengthDistribution d) => SimulationRequest.Describe(d);

    public static string Describe(ArrivalProcess a) => SimulationRequest.Describe(a);

    /// <summary><paramref name="request"/> with the workload fields these options give (histogram files read here:
    /// the request carries their text), over a request already filled with the subject, serving and cost fields.</summary>
    public T Fill<T>(T request, ParseResult parse, CliContext context) where T : SimulationRequest
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        string? Read(Option<string?> option) => parse.GetValue(option) is { } path ? context.ReadText(path, option.Name) : null;
        if (parse.GetValue(InputDist) is not null && parse.GetValue(InputHistogram) is not null)
            throw new InvalidInputException("input-dist", $"--input-dist and {InputHistogram.Name} both give the lengths; use one.");
        if (parse.GetValue(OutputDist) is not null && parse.GetValue(OutputHistogram) is not null)
            throw new InvalidInputException("output-dist", $"--output-dist and {OutputHistogram.Name} both give the lengths; use one.");
        return (T)(request with
        {
            InputDist = parse.GetValue(InputDist),
            OutputDist = parse.GetValue(OutputDist),
            InputHist = Read(InputHistogram),
            OutputHist = Read(OutputHistogram),
            BlockSize = parse.GetValue(BlockSize),
            Seed = parse.GetValue(Seed),
        });
    }

    /// <summary>Where the histogram texts came from, for the core's messages.</summary>
    public (string? Input, string? Output) HistogramSources(ParseResult parse) => (parse.GetValue(InputHistogram), parse.GetValue(OutputHistogram));

    /// <summary>The value as the user typed it (the last occurrence), or null when the option was not given.</summary>
    public static string? Typed(ParseResult parse, Option option) =>
        parse.GetResult(option) is { Implicit: false, Tokens: { Count: > 0 } t } ? t[^1].Value : null;

    private static double? ParseDuration(ArgumentResult r, double low, double high)
    {
        if (r.Tokens.Count == 0) return null;
        var field = r.Parent is OptionResult o ? o.Option.Name.TrimStart('-') : r.Argument.Name;
        try
        {
            return DurationText.ParseSeconds(r.Tokens[^1].Value, field, low, high);
        }
        catch (InvalidInputException e)
        {
            r.AddError(e.Message);
            return null;
        }
    }
}
