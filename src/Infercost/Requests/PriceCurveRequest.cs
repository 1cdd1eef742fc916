using System.Globalization;
using Infercost.Economics.PriceCurves;
using Infercost.Economics.Prices;
using Infercost.Quantities;

namespace Infercost.Requests;

/// <summary>What <c>price-curve</c> fitted or projected (the document its <c>--json</c> prints).</summary>
/// <param name="Mode"><c>fit</c> or <c>constant</c>.</param>
/// <param name="Source">File or catalog history fitted; null in constant mode.</param>
/// <param name="Points">Dated prices read; empty in constant mode.</param>
/// <param name="Fit">The Epoch fit; null in constant mode.</param>
/// <param name="FactorPerYear">Central factor per year.</param>
/// <param name="EndpointFactorPerYear">Constant factor between the first and last frontier points; null in constant mode.</param>
/// <param name="Projection">Monthly projection with its band.</param>
public sealed record PriceCurveReport(
    string Mode,
    string? Source,
    IReadOnlyList<PricePoint> Points,
    DeclineFit? Fit,
    double FactorPerYear,
    double? EndpointFactorPerYear,
    IReadOnlyList<ProjectedPrice> Projection);

/// <summary>The <c>price-curve</c> question. Fit mode (<see cref="Points"/> or <see cref="Model"/>): Epoch AI's
/// estimator over dated prices, projected forward. Constant mode (<see cref="Factor"/>): a price falling by a constant
/// factor per year.</summary>
public sealed record PriceCurveRequest
{
    /// <summary>Most dated prices fitted in one request.</summary>
    public const int MaxPoints = 100_000;

    /// <summary>Accepted ranges.</summary>
    public static readonly NumberField FactorField = new("factor", 1e-3, 1e6), FromPriceField = NumberField.Positive("fromPrice", 100_000),
        YearsField = new("years", 1e-3, 100), SlowFactorField = new("slowFactor", 1e-3, 1e6), FastFactorField = new("fastFactor", 1e-3, 1e6),
        ProjectYearsField = new("projectYears", 0, 100), BandSigmasField = new("bandSigmas", 0, 10);

    /// <summary>Dated prices: the CSV text of <c>date,price[,label]</c> lines (the CLI reads <c>--points FILE</c>).</summary>
    public string? Points { get; init; }

    /// <summary>Fit the dated price history of this price-catalog model instead.</summary>
    public string? Model { get; init; }

    /// <summary>With <see cref="Model"/>: which price to fit: blended (3 input : 1 output), input or output.</summary>
    public string PriceKind { get; init; } = "blended";

    /// <summary>Constant mode: prices fall this many times per year.</summary>
    public double? Factor { get; init; }

    /// <summary>Constant mode: starting price per million tokens.</summary>
    public double? FromPrice { get; init; }

    /// <summary>Constant mode: years to project; default 3.</summary>
    public double? Years { get; init; }

    /// <summary>Constant mode: date of the starting price (yyyy-MM-dd); default today.</summary>
    public string? FromDate { get; init; }

    /// <summary>Constant mode: slowest factor per year for the band (its high price).</summary>
    public double? SlowFactor { get; init; }

    /// <summary>Constant mode: fastest factor per year for the band (its low price).</summary>
    public double? FastFactor { get; init; }

    /// <summary>Fit mode: years to project past the last frontier point.</summary>
    public double ProjectYears { get; init; } = 2;

    /// <summary>Fit mode: the band spans the slope ± this many standard errors.</summary>
    public double BandSigmas { get; init; } = 1;

    /// <summary>Fit mode: fit every point, not only the running-minimum frontier.</summary>
    public bool AllPoints { get; init; }

    /// <summary>Checks every field; the first problem is thrown.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public void Validate()
    {
        FactorField.Check(Factor);
        FromPriceField.Check(FromPrice);
        YearsField.Check(Years);
        SlowFactorField.Check(SlowFactor);
        FastFactorField.Check(FastFactor);
        ProjectYearsField.Check(ProjectYears);
        BandSigmasField.Check(BandSigmas);
        if (PriceKind is not ("blended" or "input" or "output"))
            throw new InvalidInputException("priceKind", $"priceKind must be blended, input or output; was '{PriceKind}'.");
        var modes = new[] { Points is not null, Model is not null, Factor is not null }.Count(x => x);
        if (modes != 1) throw RequestFields.Error("points", "give exactly one of {points} FILE.csv, {model} ID or {factor} X.");
        if (Factor is null && new (string Field, bool Given)[]
            {
                ("fromPrice", FromPrice is not null), ("years", Years is not null), ("fromDate", FromDate is not null),
                ("slowFactor", SlowFactor is not null), ("fastFactor", FastFactor is not null),
            }.FirstOrDefault(f => f.Given).Field is { } constantOnly)
        {
            throw RequestFields.Error(constantOnly, $"{{{constantOnly}}} applies to constant mode; add {{factor}} X (or leave it out with {{points}} or {{model}}).");
        }

        if (Factor is not null)
        {
            if (FromPrice is null) throw RequestFields.Error("fromPrice", "{factor} needs {fromPrice} (the starting $/MTok).");
            if (FromDate is { } text) ParseDate(text);
        }
    }

    /// <summary>Validates and answers from the embedded price catalog.</summary>
    /// <param name="today">The starting date in constant mode when <see cref="FromDate"/> is not given (the core reads no clock).</param>
    public PriceCurveReport Answer(DateOnly today) => Answer(today, null, PriceCatalog.Embedded);

    /// <summary>Validates and answers.</summary>
    /// <param name="today">The starting date in constant mode when <see cref="FromDate"/> is not given.</param>
    /// <param name="pointsSource">How <see cref="Points"/> is named in the report and in problems (the CLI's file name); default <c>points</c>.</param>
    /// <param name="prices">The price catalog whose history <see cref="Model"/> names.</param>
    /// <exception cref="InvalidInputException">A field out of range, a malformed CSV line, too few points.</exception>
    public PriceCurveReport Answer(DateOnly today, string? pointsSource, PriceCatalog prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        Validate();
        if (Factor is { } f)
        {
            var date = FromDate is { } text ? ParseDate(text) : today;
            var projection = ConstantDecline.Projection(date, DollarsPerMillionTokens.FromDollarsPerMillionTokens(FromPrice!.Value), f,
                SlowFactor, FastFactor, Years ?? 3);
            return new PriceCurveReport("constant", null, [], null, f, null, projection);
        }

        var (source, data) = Points is { } csv
            ? (pointsSource ?? "points", PricePointsCsv.Parse(csv, pointsSource ?? "points"))
            : FromCatalog(prices, Model!, PriceKind);
        if (data.Count < 2)
            throw new InvalidInputException("points", $"points must number at least 2 to fit a curve; {source} has {data.Count}.");
        if (data.Count > MaxPoints)
            throw new InvalidInputException("points", $"points must number at most {MaxPoints:N0} per request; {source} has {data.Count:N0}.");
        var fit = EpochEstimator.Fit(data, BandSigmas, takeFrontier: !AllPoints);
        var endpoints = ConstantDecline.FactorPerYear(fit.Frontier[0], fit.Frontier[^1]);
        var projected = ProjectYears > 0 ? EpochEstimator.Project(fit, ProjectYears) : [];
        return new PriceCurveReport("fit", source, data, fit, fit.FactorPerYear, endpoints, projected);
    }

    private static DateOnly ParseDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new InvalidInputException("fromDate", $"fromDate must be yyyy-MM-dd; was '{text}'.");

    private static (string Source, IReadOnlyList<PricePoint> Points) FromCatalog(PriceCatalog prices, string modelId, string kind)
    {
        var history = prices.History(modelId);
        var points = history
            .Where(p => p.AsOf is not null)
            .Select(p => new PricePoint(p.AsOf!.Value, kind switch
            {
                "input" => p.Input,
                "output" => p.Output,
                _ => BlendedPrice.ThreeToOne(p.Input, p.Output),
            }, $"{p.Name} ({p.SourceId})"))
            .ToList();
        var id = history.Count > 0 ? history[0].ModelId : modelId;
        return ($"price catalog history of {id} ({kind})", points);
    }
}
