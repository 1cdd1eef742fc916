using System.CommandLine;
using Infercost.Costing;
using Infercost.Requests;

namespace Infercost.Cli.Inputs;

/// <summary>The options that choose how devices are paid for (rental or owned) and how busy they are: the cost fields
/// of a <see cref="PricedRequest"/>.</summary>
internal sealed class CostInputs
{
    private static readonly OwnedCost OwnedDefaults = new();

    public Option<NumberRange?> GpuPrice { get; } = CliOptions.OptionalRange(PricedRequest.GpuPriceField, "Rental price in dollars per GPU-hour. Default: the catalog's typical price.", "$/GPU-h");

    public Option<bool> Owned { get; } = new("--owned")
    {
        Description = "Price owned hardware (depreciation + electricity) instead of rental.",
    };

    public Option<NumberRange?> PurchasePrice { get; } = CliOptions.OptionalRange(PricedRequest.PurchasePriceField, "With --owned: price per GPU in dollars. Default: the catalog's estimate.", "$");
    public Option<double?> ServerShare { get; } = CliOptions.OptionalDouble(PricedRequest.ServerShareField, $"With --owned: host, chassis and network as a fraction of the GPU price. Default: {Guard.Format(OwnedDefaults.ServerOverheadShare)}.", "F");
    public Option<double?> LifespanYears { get; } = CliOptions.OptionalDouble(PricedRequest.LifespanYearsField, $"With --owned: straight-line depreciation period. Default: {Guard.Format(OwnedDefaults.LifespanYears)}.", "YEARS");
    public Option<NumberRange?> Electricity { get; } = CliOptions.OptionalRange(PricedRequest.ElectricityField, $"With --owned: electricity price in dollars per kWh. Default: {Guard.Format(OwnedDefaults.ElectricityPerKwh)}.", "$/kWh");
    public Option<double?> Pue { get; } = CliOptions.OptionalDouble(PricedRequest.PueField, $"Facility power usage effectiveness, for energy figures (and owned electricity cost). Default: {Guard.Format(OwnedDefaults.Pue)}.", "F");
    public Option<double?> Power { get; } = CliOptions.OptionalDouble(PricedRequest.PowerField, "With --owned: watts per GPU at load. Default: the catalog TDP.", "W");
    public Option<NumberRange> Utilisation { get; } = CliOptions.Range(PricedRequest.UtilisationField, "Fraction of hours the cluster does useful work; idle hours are paid for too.", "F", 1);

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { GpuPrice, Owned, PurchasePrice, ServerShare, LifespanYears, Electricity, Pue, Power, Utilisation })
        {
            command.Options.Add(option);
        }
    }

    /// <summary><paramref name="request"/> with the cost fields the options give.</summary>
    public T Fill<T>(T request, ParseResult parse) where T : PricedRequest
    {
        ArgumentNullException.ThrowIfNull(request);
        return (T)(request with
        {
            GpuPrice = CliOptions.Value(parse, GpuPrice, request.GpuPrice),
            Owned = CliOptions.Value(parse, Owned, request.Owned),
            PurchasePrice = CliOptions.Value(parse, PurchasePrice, request.PurchasePrice),
            ServerShare = CliOptions.Value(parse, ServerShare, request.ServerShare),
            LifespanYears = CliOptions.Value(parse, LifespanYears, request.LifespanYears),
            Electricity = CliOptions.Value(parse, Electricity, request.Electricity),
            Pue = CliOptions.Value(parse, Pue, request.Pue),
            Power = CliOptions.Value(parse, Power, request.Power),
            Utilisation = CliOptions.Value(parse, Utilisation, request.Utilisation),
        });
    }

    /// <summary>The cost basis the options describe, at the midpoint of every range.</summary>
    /// <exception cref="InvalidInputException">Owned-only options without <c>--owned</c>, or <c>--gpu-price</c> with it.</exception>
    public CostBasis Basis(ParseResult parse)
    {
        var request = Fill(new PricedRequest(), parse);
        request.ValidateCost();
        return request.Basis();
    }
}
