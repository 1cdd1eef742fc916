using System.Globalization;
using Infercost.Simulation;

namespace Infercost.Requests;

/// <summary>What <c>frontier</c> measured (the document <c>frontier --json</c> prints).</summary>
/// <param name="Model">Model id.</param>
/// <param name="Accelerator">Accelerator id.</param>
/// <param name="Input">Prompt lengths, in words.</param>
/// <param name="Output">Output lengths, in words.</param>
/// <param name="Scheduler">Scheduler settings.</param>
/// <param name="Frontier">The points.</param>
public sealed record FrontierReport(string Model, string Accelerator, string Input, string Output, SchedulerConfig Scheduler, FrontierResult Frontier)
{
    /// <summary>The speculative decoding every decode step ran with; null without.</summary>
    public Speculation.SpeculationSpec? Speculation { get; init; }

    /// <summary>Each point's P10–P90 (<see cref="FrontierBand"/>), in the order of <see cref="FrontierResult.Points"/>.</summary>
    public IReadOnlyList<FrontierBand> Bands { get; init; } = [];
}

/// <summary>One frontier point's P10–P90 from the calibrated model error: the band for what the point extrapolates (its
/// batch regime at the run's mean decode batch included), applied as an engine speed ratio r.</summary>
/// <remarks>A frontier point is a closed loop without think time, so every event is the end of a step, and a run with
/// every step's time divided by r is the central run with time stretched by 1/r (<see cref="Simulation.SimulationBands"/>;
/// the re-simulated ends agree to 1e-9 in rates and means, and to one bin of the latency histogram in percentiles:
/// FrontierBandsTests). So the ends are computed, not re-simulated: rates × r, times ÷ r, $/MTok ÷ r (the run's cost is
/// its wall time's); prices at the central cost basis, as <c>simulate --bands</c> has them.</remarks>
/// <param name="Concurrency">The point's users.</param>
/// <param name="Speed">The speed ratios (actual ÷ predicted at P10 and P90) and their evidence.</param>
/// <param name="Extrapolating">Where the point lies outside calibration coverage.</param>
/// <param name="OutputPerGpu">Output tokens/s per device.</param>
/// <param name="PerUser">Output tokens/s one user sees.</param>
/// <param name="TimeToFirstTokenP50">Median time to first token, seconds.</param>
/// <param name="TimePerOutputTokenP50">Median time per output token, seconds.</param>
/// <param name="TimePerOutputTokenP90">90th-percentile time per output token, seconds.</param>
/// <param name="OutputPerMillion">$ per million output tokens; null without a cost basis.</param>
public sealed record FrontierBand(int Concurrency, Calibration.PredictionBand Speed, IReadOnlyList<Calibration.Extrapolation> Extrapolating,
    Calibration.Banded OutputPerGpu, Calibration.Banded PerUser, Calibration.Banded TimeToFirstTokenP50, Calibration.Banded TimePerOutputTokenP50,
    Calibration.Banded TimePerOutputTokenP90, Calibration.Banded? OutputPerMillion)
{
    /// <summary>The band of <paramref name="point"/> at <paramref name="speed"/>.</summary>
    public static FrontierBand Of(FrontierPoint point, Calibration.PredictionBand speed, IReadOnlyList<Calibration.Extrapolation> extrapolating)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(speed);
        ArgumentNullException.ThrowIfNull(extrapolating);
        // Times and prices scale as 1/r: the band's inverse.
        var inverse = speed.Inverse();
        Calibration.Banded Time(double seconds) => Calibration.Banded.Of(seconds, inverse);
        return new FrontierBand(point.Concurrency, speed, extrapolating,
            Calibration.Banded.Of(point.OutputPerGpu.Value, speed), Calibration.Banded.Of(point.PerUser.Value, speed),
            Time(point.TimeToFirstTokenP50.Value), Time(point.TimePerOutputTokenP50.Value), Time(point.TimePerOutputTokenP90.Value),
            point.OutputPerMillion is { } price ? Time(price.Value) : null);
    }
}

/// <summary>The <c>frontier</c> question: output tokens/s per GPU against tokens/s per user, from closed-loop runs of
/// one replica at fixed concurrencies.</summary>
public sealed record FrontierRequest : SimulationRequest
{
    /// <summary>Accepted range of each concurrency level; at most <see cref="MaxLevels"/> of them.</summary>
    public static readonly WholeField ConcurrencyField = new("concurrency", 1, 1_000_000);

    /// <summary>Accepted range of <see cref="Requests"/> (0: 10 × concurrency, at least 200).</summary>
    public static readonly WholeField RequestsField = new("requests", 0, 100_000_000);

    /// <summary>Most concurrency levels one frontier runs.</summary>
    public const int MaxLevels = 256;

    /// <summary>Users per run (closed loop); default powers of two from 1 to 256.</summary>
    public IReadOnlyList<int>? Concurrency { get; init; }

    /// <summary>Requests per run; 0 for 10 × concurrency (at least 200).</summary>
    public int Requests { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequestsField.Check(Requests);
        if (Concurrency is null) return;
        if (Concurrency.Count == 0) throw new InvalidInputException("concurrency", "concurrency must list at least one level; was empty.");
        if (Concurrency.Count > MaxLevels) throw new InvalidInputException("concurrency", $"concurrency must list at most {MaxLevels} levels; was {Concurrency.Count}.");
        foreach (var level in Concurrency) ConcurrencyField.Check(level);
    }

    /// <summary>The levels run: <see cref="Concurrency"/> or the defaults.</summary>
    public IReadOnlyList<int> Levels => Concurrency is { Count: > 0 } given ? given : ThroughputFrontier.DefaultConcurrencies;

    /// <summary>Validates, resolves and runs the frontier.</summary>
    /// <exception cref="InvalidInputException">A field out of range, an unknown id, or more work than one run allows.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public FrontierReport Answer(Catalog.Catalog catalog, IProgress<double>? progress = null, CancellationToken cancellation = default) =>
        Answer(Prepare(Resolve(catalog)), progress, cancellation);

    /// <summary>Runs the frontier for an already prepared <paramref name="s"/>.</summary>
    public FrontierReport Answer(SimulationSetup s, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(s);
        var users = Levels;
        var perPoint = Requests;
        var what = perPoint > 0
            ? $"{{requests}} {perPoint.ToString(CultureInfo.InvariantCulture)} at each of {users.Count} concurrencies"
            : $"{{concurrency}} {string.Join(',', users)} (10 × each level's requests)";
        if (SimulationBudget.Exceeded(users.Sum(c => perPoint > 0 ? perPoint : Math.Max(200, 10.0 * c)), s.Output, what) is { } template)
        {
            throw RequestFields.Error(perPoint > 0 ? "requests" : "concurrency", template);
        }

        var result = ThroughputFrontier.Run(s.Setup, s.Input, s.Output, users, perPoint, Seed, s.Options, progress, cancellation);
        var bands = result.Points.Select(p =>
        {
            var extrapolating = Calibration.CalibrationCoverage.Shipped.Assess(s.Setup, s.Setup.Config.Engine, p.MeanDecodeBatch);
            return FrontierBand.Of(p, Calibration.CalibratedEfficiency.Bands.For(extrapolating), extrapolating);
        }).ToList();
        return new FrontierReport(s.Subject.Model.Id, s.Subject.Accelerator.Id, Describe(s.Input), Describe(s.Output), s.Options.Scheduler, result)
        {
            Speculation = s.Setup.Config.Speculation?.Spec,
            Bands = bands,
        };
    }
}
