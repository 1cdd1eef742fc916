namespace Infercost.Calibration;

/// <summary>The error summaries of a validation without its rows: overall, by model, by accelerator and by source.</summary>
/// <param name="Overall">Summary over all rows.</param>
/// <param name="ByModel">One summary per model, ordered by id (ordinal).</param>
/// <param name="ByAccelerator">One summary per accelerator, ordered by id.</param>
/// <param name="BySource">One summary per source, ordered by name.</param>
/// <param name="BandCoveragePct">Share of predicted rows whose measurement lies inside the prediction's own P10–P90
/// band, percent; null when no row was predicted.</param>
public sealed record ValidationSummary(
    ErrorSummary Overall,
    IReadOnlyList<ErrorSummary> ByModel,
    IReadOnlyList<ErrorSummary> ByAccelerator,
    IReadOnlyList<ErrorSummary> BySource,
    double? BandCoveragePct);

// The summaries need exact medians and P90s, so each group keeps its rows' |error| (one double per row and group); the
// predictions themselves (with their steady-state steps, several kilobytes each) are not kept, so a streamed file of
// any length costs 32 bytes a row here rather than its predictions.

/// <summary>Builds a <see cref="ValidationSummary"/> from predictions added one at a time, keeping per row only its
/// error and whether it lies inside its band.</summary>
public sealed class ValidationAccumulator
{
    private readonly GroupErrors _overall = new();
    private readonly Dictionary<string, GroupErrors> _byModel = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupErrors> _byAccelerator = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupErrors> _bySource = new(StringComparer.Ordinal);
    private int _judged;
    private int _inside;

    /// <summary>Rows added so far, predicted or not.</summary>
    public int Rows => _overall.Rows;

    /// <summary>Adds one prediction to every summary it belongs to.</summary>
    public void Add(Prediction prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        var error = prediction.SignedError;
        _overall.Add(error);
        Group(_byModel, prediction.Row.ModelId).Add(error);
        Group(_byAccelerator, prediction.Row.AcceleratorId).Add(error);
        Group(_bySource, prediction.Row.Source).Add(error);
        if (prediction.InsideBand is { } inside)
        {
            _judged++;
            if (inside) _inside++;
        }
    }

    /// <summary>The summaries of the rows added so far.</summary>
    public ValidationSummary Summary()
    {
        static List<ErrorSummary> Ordered(Dictionary<string, GroupErrors> groups) =>
            groups.OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Value.Summary(g.Key)).ToList();
        return new ValidationSummary(_overall.Summary("all"), Ordered(_byModel), Ordered(_byAccelerator), Ordered(_bySource),
            _judged == 0 ? null : 100.0 * _inside / _judged);
    }

    private static GroupErrors Group(Dictionary<string, GroupErrors> groups, string key)
    {
        if (!groups.TryGetValue(key, out var group)) groups[key] = group = new GroupErrors();
        return group;
    }
}

/// <summary>The errors of one group of rows, as <see cref="ErrorSummary.Of"/> needs them.</summary>
internal sealed class GroupErrors
{
    private readonly List<double> _absPct = [];
    private double _signedPctSum;

    /// <summary>Rows in the group, predicted or not.</summary>
    public int Rows { get; private set; }

    /// <summary>Adds a row with signed error <paramref name="signedError"/> (a fraction; null when not predicted).</summary>
    public void Add(double? signedError)
    {
        Rows++;
        if (signedError is not { } e) return;
        var pct = e * 100;
        // Summed in row order from zero, as Enumerable.Average sums a list of doubles, so the mean is the same to the bit.
        _signedPctSum += pct;
        _absPct.Add(Math.Abs(pct));
    }

    /// <summary>The group's summary under the label <paramref name="group"/>.</summary>
    public ErrorSummary Summary(string group) => _absPct.Count == 0
        ? new ErrorSummary(group, Rows, 0, null, null, null)
        : new ErrorSummary(group, Rows, _absPct.Count, ErrorSummary.Percentile(_absPct, 0.5), ErrorSummary.Percentile(_absPct, 0.9),
            _signedPctSum / _absPct.Count);
}
