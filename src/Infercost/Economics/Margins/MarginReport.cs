using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Economics.Margins;

/// <summary>Gross margin of a price over a true-cost estimate, by token kind and for a workload, with a sensitivity grid.</summary>
/// <param name="Price">The rates charged.</param>
/// <param name="Cost">The true-cost estimate (rates at <paramref name="CostUtilisation"/>).</param>
/// <param name="CostUtilisation">The utilisation the cost estimate already assumes (1 for the published napkin figures).</param>
/// <param name="InputMargin">1 − cost in ÷ price in.</param>
/// <param name="OutputMargin">1 − cost out ÷ price out.</param>
/// <param name="Workload">The workload's revenue (at the price) and cost (at the cost rates); null when none was given.</param>
/// <param name="WorkloadCost">The workload costed at the cost rates; null when none.</param>
/// <param name="BlendedMargin">1 − workload cost ÷ workload revenue; null when no workload.</param>
/// <param name="Sensitivity">Margins over cost factor × utilisation.</param>
/// <param name="LeftOut">What a gross margin on serving leaves out.</param>
public sealed record MarginReport(
    PriceSheet Price,
    PriceSheet Cost,
    double CostUtilisation,
    double InputMargin,
    double OutputMargin,
    WorkloadCost? Workload,
    WorkloadCost? WorkloadCost,
    double? BlendedMargin,
    IReadOnlyList<MarginCell> Sensitivity,
    IReadOnlyList<string> LeftOut)
{
    /// <summary>What the caller assumed on the user's behalf (a request shape nobody gave), each as one sentence;
    /// empty when everything was given.</summary>
    public IReadOnlyList<string> Assumed { get; init; } = [];

    /// <summary>When the engine's cluster speculates: plain against speculative decoding at the batch the engine ran the
    /// mean request at (the speed-up the cost's output rate reflects); null otherwise, and with a given cost.</summary>
    public Speculation.SpeculationSummary? SelfHostSpeculation { get; init; }

    /// <summary>Sequences per replica the engine decoded the cluster's mean request at; null with a given cost.</summary>
    public int? SelfHostBatch { get; init; }

    /// <summary>With the engine's cluster: where its estimate lies outside calibration coverage; empty with a given cost.</summary>
    public IReadOnlyList<Calibration.Extrapolation> Extrapolating { get; init; } = [];

    /// <summary>With the engine's cluster: the margins at the calibrated throughput band's ends (<see cref="MarginBands"/>);
    /// null with a given cost.</summary>
    public MarginBands? Bands { get; init; }

    /// <summary>Revenue per day for the workload at the price; null when no workload.</summary>
    public Dollars? RevenuePerDay => Workload?.PerDay;

    /// <summary>Gross profit per day for the workload; null when no workload.</summary>
    public Dollars? GrossProfitPerDay => Workload is { } w && WorkloadCost is { } c ? w.PerDay - c.PerDay : null;
}

/// <summary>Gross margins at the ends of the engine's calibrated throughput band: the cost rates ÷ the band's low ratio
/// (an engine as slow as P10: the dearest cost, P10 of the margin) and ÷ its high ratio (P90). The utilisation and any
/// other error in the cost are the sensitivity grid's (docs/economics.md#margins).</summary>
/// <param name="Speed">The band (actual ÷ predicted throughput at P10 and P90) and its evidence.</param>
/// <param name="Input">Margin on input tokens.</param>
/// <param name="Output">Margin on output tokens.</param>
/// <param name="Blended">Margin on the workload; null when none.</param>
public sealed record MarginBands(Calibration.PredictionBand Speed, Calibration.Banded Input, Calibration.Banded Output, Calibration.Banded? Blended)
{
    /// <summary>The bands of <paramref name="report"/> for an engine whose throughput is uncertain by <paramref name="speed"/>:
    /// a margin m = 1 − c/p at cost c ÷ r is 1 − (1 − m)/r.</summary>
    public static MarginBands Of(MarginReport report, Calibration.PredictionBand speed)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(speed);
        Calibration.Banded At(double margin) => new(margin, 1 - (1 - margin) / speed.Low, 1 - (1 - margin) / speed.High);
        return new MarginBands(speed, At(report.InputMargin), At(report.OutputMargin), report.BlendedMargin is { } b ? At(b) : null);
    }
}
