using Infercost.Economics.Subscriptions;
using Infercost.Quantities;

namespace Infercost.Requests;

/// <summary>What <c>subscription population</c> simulated (the document its <c>--json</c> prints).</summary>
/// <param name="Usage">The usage distribution drawn from.</param>
/// <param name="RateSource">Where the serving cost came from.</param>
/// <param name="Result">Population statistics and the cost histogram.</param>
public sealed record SubscriptionPopulationReport(UsageDistribution Usage, string RateSource, PopulationResult Result);

/// <summary>The <c>subscription population</c> question: a seeded Monte Carlo of a flat-rate plan's subscribers.</summary>
public sealed record SubscriptionPopulationRequest
{
    /// <summary>Where the default serving cost comes from.</summary>
    public const string HeadlineSource = "Alderson (Aug 2025) headline: $0.003 in / $3.08 out per MTok";

    /// <summary>Accepted ranges.</summary>
    public static readonly WholeField UsersField = new("users", 1, PopulationSpec.MaxSubscribers), SeedField = new("seed", 0, int.MaxValue);

    /// <summary>Accepted ranges.</summary>
    public static readonly NumberField MedianField = NumberField.Positive("medianOutputPerDay", 1e12), SigmaField = new("sigma", 0, 5),
        RatioField = new("inputPerOutput", 0, 10_000), CostInField = new("costIn", 0, 100_000), CostOutField = new("costOut", 0, 100_000),
        MoeField = new("moeEfficiency", 0.001, 1);

    /// <summary>Most mixture components.</summary>
    public const int MaxComponents = 64;

    /// <summary>Plan id (required).</summary>
    public string? Plan { get; init; }

    /// <summary>Model family whose credit rates apply: opus, sonnet or haiku.</summary>
    public string ModelFamily { get; init; } = "opus";

    /// <summary>Subscribers to simulate.</summary>
    public int Users { get; init; } = 100_000;

    /// <summary>Seed of the random stream.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Median output tokens per subscriber per day (lognormal median); an assumption.</summary>
    public double MedianOutputPerDay { get; init; } = 20_000;

    /// <summary>Spread of ln(output per day).</summary>
    public double Sigma { get; init; } = 1.5;

    /// <summary>Input tokens per output token.</summary>
    public double InputPerOutput { get; init; } = 100;

    /// <summary>A lognormal mixture instead of the median and sigma: <c>WEIGHT:MEDIAN:SIGMA</c> per component.</summary>
    public IReadOnlyList<string>? Mixture { get; init; }

    /// <summary>Serving cost per million input tokens; default Alderson's headline $0.003.</summary>
    public double? CostIn { get; init; }

    /// <summary>Serving cost per million output tokens; default $3.08.</summary>
    public double? CostOut { get; init; }

    /// <summary>Fraction of headline throughput achieved; costs are divided by it.</summary>
    public double MoeEfficiency { get; init; } = 1;

    /// <summary>Weeks per month: <c>30/7</c>, <c>52/12</c> or a decimal.</summary>
    public string WeeksPerMonth { get; init; } = "30/7";

    /// <summary>Checks every field; the first problem is thrown.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public void Validate() => _ = Spec();

    /// <summary>The simulation's inputs.</summary>
    /// <exception cref="InvalidInputException">A field out of range or an unknown plan.</exception>
    public PopulationSpec Spec()
    {
        if (string.IsNullOrWhiteSpace(Plan)) throw new InvalidInputException("plan", $"plan is required: one of {string.Join(", ", SubscriptionPlans.All.Select(p => p.Id))}.");
        var plan = SubscriptionPlans.Get(Plan);
        UsersField.Check(Users);
        SeedField.Check(Seed);
        MedianField.Check(MedianOutputPerDay);
        SigmaField.Check(Sigma);
        RatioField.Check(InputPerOutput);
        CostInField.Check(CostIn);
        CostOutField.Check(CostOut);
        MoeField.Check(MoeEfficiency);
        if (Mixture is { Count: > MaxComponents }) throw new InvalidInputException("mixture", $"mixture must have at most {MaxComponents} components; was {Mixture.Count}.");
        var components = Mixture is { Count: > 0 } parts
            ? parts.Select(LognormalComponent.Parse).ToList()
            : [new LognormalComponent(1, Tokens.FromTokens(MedianOutputPerDay), Sigma)];
        var rates = new ServingRates(DollarsPerMillionTokens.FromDollarsPerMillionTokens(CostIn ?? 0.003),
            DollarsPerMillionTokens.FromDollarsPerMillionTokens(CostOut ?? 3.08), MoeEfficiency);
        return new PopulationSpec(plan, ModelFamily, new UsageDistribution(components, InputPerOutput), rates, Users, Seed,
            Economics.Subscriptions.WeeksPerMonth.Parse(WeeksPerMonth));
    }

    /// <summary>Where the serving cost came from.</summary>
    public string RateSource => CostIn is not null || CostOut is not null ? "user-supplied" : HeadlineSource;

    /// <summary>Validates and runs the simulation.</summary>
    /// <exception cref="InvalidInputException">A field out of range.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public SubscriptionPopulationReport Answer(IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        var spec = Spec();
        return new SubscriptionPopulationReport(spec.Usage, RateSource, PopulationSimulation.Run(spec, progress, cancellation));
    }
}
