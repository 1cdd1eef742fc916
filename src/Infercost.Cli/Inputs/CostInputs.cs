using System.CommandLine;
using Infercost.Costing;
using Infercost.Quantities;

namespace Infercost.Cli.Inputs;

/// <summary>The options that choose how devices are paid for (rental or owned) and how busy they are.</summary>
internal sealed class CostInputs
{
    private static readonly OwnedCost OwnedDefaults = new();

    public Option<NumberRange?> GpuPrice { get; } = CliOptions.OptionalRange("--gpu-price", "Rental price in dollars per GPU-hour. Default: the catalog's typical price.", "$/GPU-h", CliOptions.InRange(0, 10_000));

    public Option<bool> Owned { get; } = new("--owned")
    {
        Description = "Price owned hardware (depreciation + electricity) instead of rental.",
    };

    public Option<NumberRange?> PurchasePrice { get; } = CliOptions.OptionalRange("--purchase-price", "With --owned: price per GPU in dollars. Default: the catalog's estimate.", "$", CliOptions.InRange(0, 100_000_000));
    public Option<double?> ServerShare { get; } = CliOptions.OptionalDouble("--server-share", $"With --owned: host, chassis and network as a fraction of the GPU price. Default: {Guard.Format(OwnedDefaults.ServerOverheadShare)}.", "F", CliOptions.InRange(0, 10));
    public Option<double?> LifespanYears { get; } = CliOptions.OptionalDouble("--lifespan-years", $"With --owned: straight-line depreciation period. Default: {Guard.Format(OwnedDefaults.LifespanYears)}.", "YEARS", CliOptions.InRange(0.1, 30));
    public Option<NumberRange?> Electricity { get; } = CliOptions.OptionalRange("--electricity", $"With --owned: electricity price in dollars per kWh. Default: {Guard.Format(OwnedDefaults.ElectricityPerKwh)}.", "$/kWh", CliOptions.InRange(0, 10));
    public Option<double?> Pue { get; } = CliOptions.OptionalDouble("--pue", $"Facility power usage effectiveness, for energy figures (and owned electricity cost). Default: {Guard.Format(OwnedDefaults.Pue)}.", "F", CliOptions.InRange(1, 5));
    public Option<double?> Power { get; } = CliOptions.OptionalDouble("--power", "With --owned: watts per GPU at load. Default: the catalog TDP.", "W", CliOptions.InRange(0, 100_000));
    public Option<NumberRange> Utilisation { get; } = CliOptions.Range("--utilisation", "Fraction of hours the cluster does useful work; idle hours are paid for too.", "F", CliOptions.InRange(0.01, 1), 1);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { GpuPrice, Owned, PurchasePrice, ServerShare, LifespanYears, Electricity, Pue, Power, Utilisation })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The cost basis the options describe, at the midpoint of every range.</summary>
    /// <exception cref="InvalidInputException">Owned-only options without <c>--owned</c>, or <c>--gpu-price</c> with it.</exception>
    public CostBasis Basis(ParseResult parse) => Basis(parse, Corner.Mid);

    /// <summary>The cost basis at one corner of the input ranges (<see cref="Corner.Low"/>: every price at its low end).</summary>
    public CostBasis Basis(ParseResult parse, Corner corner)
    {
        if (!parse.GetValue(Owned))
        {
            var ownedOnly = new Option[] { PurchasePrice, ServerShare, LifespanYears, Electricity, Power }
                .FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });
            if (ownedOnly is not null)
            {
                throw new InvalidInputException(ownedOnly.Name.TrimStart('-'), $"{ownedOnly.Name} applies to owned hardware; add --owned.");
            }

            return new RentalCost(parse.GetValue(GpuPrice) is { } price ? DollarsPerHour.FromDollarsPerHour(price.At(corner)) : null);
        }

        if (parse.GetValue(GpuPrice) is not null)
        {
            throw new InvalidInputException("gpu-price", "--gpu-price is a rental price; with --owned give --purchase-price instead.");
        }

        return new OwnedCost(
            parse.GetValue(PurchasePrice) is { } p ? Dollars.FromDollars(p.At(corner)) : null,
            parse.GetValue(ServerShare) ?? OwnedDefaults.ServerOverheadShare,
            parse.GetValue(LifespanYears) ?? OwnedDefaults.LifespanYears,
            parse.GetValue(Electricity)?.At(corner) ?? OwnedDefaults.ElectricityPerKwh,
            parse.GetValue(Pue) ?? OwnedDefaults.Pue,
            parse.GetValue(Power) is { } w ? Watts.FromWatts(w) : null);
    }

    /// <summary>The PUE for energy figures.</summary>
    public double FacilityPue(ParseResult parse) => parse.GetValue(Pue) ?? OwnedDefaults.Pue;

    /// <summary>The utilisation at the midpoint of its range.</summary>
    public double UtilisationOf(ParseResult parse) => parse.GetValue(Utilisation).Mid;

    /// <summary>The utilisation at a corner. Cost falls as utilisation rises, so the cheap corner takes its high end.</summary>
    public double UtilisationOf(ParseResult parse, Corner priceCorner) =>
        parse.GetValue(Utilisation).At(priceCorner switch { Corner.Low => Corner.High, Corner.High => Corner.Low, _ => Corner.Mid });

    /// <summary>Costs <paramref name="serving"/> at the centre and at the cheapest and dearest corners of the input
    /// ranges, and forms P10-P90 bands with the calibrated model-error band.</summary>
    public (CostEstimate Central, CostBands Bands) Estimate(ParseResult parse, Serving.ServingEstimate serving, Hardware.Accelerator accelerator)
    {
        var pue = FacilityPue(parse);
        CostEstimate At(Corner c) => CostModel.Estimate(serving, accelerator, Basis(parse, c), UtilisationOf(parse, c), pue);
        var central = At(Corner.Mid);
        var bands = CostBands.Of(serving, central, At(Corner.Low), At(Corner.High), Calibration.CalibratedEfficiency.ThroughputRatio);
        return (central, bands);
    }
}
