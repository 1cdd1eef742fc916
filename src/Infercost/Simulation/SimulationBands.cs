using Infercost.Calibration;

namespace Infercost.Simulation;

/// <summary>P10–P90 bands on a simulation's headline figures, from the calibrated model error: the same run (same
/// arrivals, seed and settings) simulated again with every step at the engine speeds of the band's two ends.</summary>
/// <remarks>The calibration states its error as actual ÷ predicted throughput, P10 and P90 (<see cref="PredictionBand"/>,
/// widened for every dimension the run extrapolates along: <see cref="ExtrapolationBands.For"/>). A throughput ratio r
/// is an engine that runs r times as fast as modelled, so each end is the run with every step's modelled time divided by
/// r (<see cref="Serving.ServingConfig.SpeedFactor"/>). Queueing is what makes this a re-run and not a multiplication:
/// with arrivals at a rate, waiting time is not linear in speed, and near saturation a 20% slower engine can double the
/// TTFT. For a closed loop without think time every event is a step's end, so the whole run is the central one with time
/// stretched by 1/r, and the ends are exactly the central figures × (1/r) for times and × r for rates. Each band is the
/// lowest and highest of the three runs' values (a figure that is not monotone in speed, such as the SLO share near its
/// threshold, is still covered). Time the step model does not own (KV reloads from offload tiers, prefill-to-decode
/// transfers, think time) is not stretched. See docs/validation.md#bands.</remarks>
/// <param name="Speed">The speed ratios of the two re-runs (actual ÷ predicted at P10 and P90) and their evidence.</param>
/// <param name="WallTime">Seconds from the first arrival to the last completion.</param>
/// <param name="OutputThroughput">Output tokens/s over the run.</param>
/// <param name="GoodputRequestsPerSecond">Requests meeting both SLOs, per second.</param>
/// <param name="GoodFraction">Share of requests meeting both SLOs.</param>
/// <param name="TtftMean">Mean time to first token, seconds.</param>
/// <param name="TtftP50">Median time to first token, seconds.</param>
/// <param name="TtftP90">90th-percentile time to first token, seconds.</param>
/// <param name="TpotMean">Mean time per output token, seconds.</param>
/// <param name="TpotP50">Median time per output token, seconds.</param>
/// <param name="TpotP90">90th-percentile time per output token, seconds.</param>
/// <param name="EndToEndMean">Mean request latency, seconds.</param>
/// <param name="OutputPerMillion">$ per million output tokens (idle time included); null without a cost basis.</param>
/// <param name="Method">How the bands were made, in words.</param>
public sealed record SimulationBands(
    PredictionBand Speed,
    Banded WallTime,
    Banded OutputThroughput,
    Banded GoodputRequestsPerSecond,
    Banded GoodFraction,
    Banded TtftMean,
    Banded TtftP50,
    Banded TtftP90,
    Banded TpotMean,
    Banded TpotP50,
    Banded TpotP90,
    Banded EndToEndMean,
    Banded? OutputPerMillion,
    string Method)
{
    /// <summary>The bands of seed-runs (<c>simulate --runs N --bands</c>): every seed at the modelled speed
    /// (<paramref name="central"/>, run 0 first) and at the band's low and high speed ratios. A figure's P10 is the lowest
    /// of the three sets' 10th percentiles over the seeds and its P90 the highest of their 90th, so the band holds both the
    /// model's error and the draw of arrivals and lengths, each at its own P10/P90 (a conservative combination, as the
    /// price bands' extremes are); the value is run 0's.</summary>
    public static SimulationBands OfRuns(PredictionBand speed, IReadOnlyList<SimulationResult> central, IReadOnlyList<SimulationResult> slow,
        IReadOnlyList<SimulationResult> fast)
    {
        ArgumentNullException.ThrowIfNull(speed);
        ArgumentNullException.ThrowIfNull(central);
        ArgumentNullException.ThrowIfNull(slow);
        ArgumentNullException.ThrowIfNull(fast);
        if (central.Count == 0 || slow.Count == 0 || fast.Count == 0) throw new ArgumentException("each end needs at least one run", nameof(central));
        IReadOnlyList<SimulationResult>[] sets = [central, slow, fast];
        Banded Of(Func<SimulationResult, double> figure) => Across(sets, central[0], figure);

        var priced = sets.All(set => set.All(r => r.OutputPerMillion is not null));
        return Build(speed, Of, priced,
            $"the same {central.Count} seed-runs re-simulated with every step at the engine speed of the band's ends, actual/predicted × [" +
            Guard.Format(speed.Low) + ", " + Guard.Format(speed.High) + "] (" + speed.Basis + "); each band runs from the lowest 10th to the highest 90th percentile over the seeds of the three speeds");
    }

    /// <summary>The bands of <paramref name="central"/> from the runs at the band's low (<paramref name="slow"/>) and high
    /// (<paramref name="fast"/>) speed ratios.</summary>
    public static SimulationBands Of(PredictionBand speed, SimulationResult central, SimulationResult slow, SimulationResult fast)
    {
        ArgumentNullException.ThrowIfNull(speed);
        ArgumentNullException.ThrowIfNull(central);
        ArgumentNullException.ThrowIfNull(slow);
        ArgumentNullException.ThrowIfNull(fast);
        // One run per speed: each set's percentiles are its one value, so the band is the lowest and highest of the three.
        IReadOnlyList<SimulationResult>[] sets = [[central], [slow], [fast]];
        Banded Of(Func<SimulationResult, double> figure) => Across(sets, central, figure);

        return Build(speed, Of, central.OutputPerMillion is not null && slow.OutputPerMillion is not null && fast.OutputPerMillion is not null,
            "the same run re-simulated with every step at the engine speed of the band's ends, actual/predicted × [" +
            Guard.Format(speed.Low) + ", " + Guard.Format(speed.High) + "] (" + speed.Basis + "); each band is the lowest and highest of the three runs");
    }

    /// <summary>One figure's band over runs at several engine speeds (each set one speed's seed-runs): from the lowest of
    /// the sets' 10th percentiles over their seeds to the highest of their 90th, widened to hold <paramref name="central"/>'s
    /// value, which is the band's value. A set of one run gives its value for both percentiles.</summary>
    public static Banded Across(IReadOnlyList<IReadOnlyList<SimulationResult>> sets, SimulationResult central, Func<SimulationResult, double> figure)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(central);
        ArgumentNullException.ThrowIfNull(figure);
        var c = figure(central);
        var low = sets.Min(set => ErrorSummary.Percentile(set.Select(figure), 0.1));
        var high = sets.Max(set => ErrorSummary.Percentile(set.Select(figure), 0.9));
        return new Banded(c, Math.Min(c, low), Math.Max(c, high));
    }

    private static SimulationBands Build(PredictionBand speed, Func<Func<SimulationResult, double>, Banded> band, bool priced, string method) =>
        new(speed,
            band(r => r.WallTime.Value),
            band(r => r.OutputThroughput.Value),
            band(r => r.GoodputRequestsPerSecond),
            band(r => r.GoodFraction),
            band(r => r.TimeToFirstToken.Mean.Value),
            band(r => r.TimeToFirstToken.P50.Value),
            band(r => r.TimeToFirstToken.P90.Value),
            band(r => r.TimePerOutputToken.Mean.Value),
            band(r => r.TimePerOutputToken.P50.Value),
            band(r => r.TimePerOutputToken.P90.Value),
            band(r => r.EndToEnd.Mean.Value),
            priced ? band(r => r.OutputPerMillion!.Value.Value) : null,
            method);
}
