using Infercost.Costing;
using Infercost.Hardware;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Requests;

/// <summary>A serving request plus how the devices are paid for (rental or owned) and how busy they are. Prices may be
/// ranges (<c>LOW..HIGH</c>): the centre uses the midpoint and the bands widen to the corners.</summary>
public record PricedRequest : ServingRequest
{
    private static readonly OwnedCost OwnedDefaults = new();

    /// <summary>Accepted ranges of the cost fields.</summary>
    public static readonly NumberField GpuPriceField = new("gpuPrice", 0, 10_000), PurchasePriceField = new("purchasePrice", 0, 100_000_000),
        ServerShareField = new("serverShare", 0, 10), LifespanYearsField = new("lifespanYears", 0.1, 30), ElectricityField = new("electricity", 0, 10),
        PueField = new("pue", 1, 5), PowerField = new("power", 0, 100_000), UtilisationField = new("utilisation", 0.01, 1);

    /// <summary>Rental price in dollars per GPU-hour (number or range); default the catalog's typical price.</summary>
    public NumberRange? GpuPrice { get; init; }

    /// <summary>Price owned hardware (depreciation + electricity) instead of rental.</summary>
    public bool Owned { get; init; }

    /// <summary>With owned: price per GPU in dollars (number or range); default the catalog's estimate.</summary>
    public NumberRange? PurchasePrice { get; init; }

    /// <summary>With owned: host, chassis and network as a fraction of the GPU price.</summary>
    public double? ServerShare { get; init; }

    /// <summary>With owned: straight-line depreciation period in years.</summary>
    public double? LifespanYears { get; init; }

    /// <summary>With owned: electricity price in dollars per kWh (number or range).</summary>
    public NumberRange? Electricity { get; init; }

    /// <summary>Facility power usage effectiveness, for energy figures (and owned electricity cost).</summary>
    public double? Pue { get; init; }

    /// <summary>With owned: watts per GPU at load; default the catalog TDP.</summary>
    public double? Power { get; init; }

    /// <summary>Fraction of hours the cluster does useful work (number or range); idle hours are paid for too.</summary>
    public NumberRange Utilisation { get; init; } = NumberRange.Of(1);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        ValidateCost();
    }

    /// <summary>Checks the cost fields only (for questions that take a cost basis without the rest of a serving request).</summary>
    /// <exception cref="InvalidInputException">A cost field out of range, owned-only fields without owned, or a rental price with it.</exception>
    public void ValidateCost()
    {
        GpuPriceField.Check(GpuPrice);
        PurchasePriceField.Check(PurchasePrice);
        ServerShareField.Check(ServerShare);
        LifespanYearsField.Check(LifespanYears);
        ElectricityField.Check(Electricity);
        PueField.Check(Pue);
        PowerField.Check(Power);
        UtilisationField.Check(Utilisation);
        if (!Owned)
        {
            var ownedOnly = new (string Field, bool Given)[]
            {
                ("purchasePrice", PurchasePrice is not null), ("serverShare", ServerShare is not null),
                ("lifespanYears", LifespanYears is not null), ("electricity", Electricity is not null), ("power", Power is not null),
            }.FirstOrDefault(f => f.Given).Field;
            if (ownedOnly is not null) throw RequestFields.Error(ownedOnly, $"{{{ownedOnly}}} applies to owned hardware; add {{owned}}.");
        }
        else if (GpuPrice is not null)
        {
            throw RequestFields.Error("gpuPrice", "{gpuPrice} is a rental price; with {owned} give {purchasePrice} instead.");
        }
    }

    /// <summary>The cost basis at one corner of the input ranges (<see cref="Corner.Low"/>: every price at its low end).</summary>
    public CostBasis Basis(Corner corner = Corner.Mid) => !Owned
        ? new RentalCost(GpuPrice is { } price ? DollarsPerHour.FromDollarsPerHour(price.At(corner)) : null)
        : new OwnedCost(
            PurchasePrice is { } p ? Dollars.FromDollars(p.At(corner)) : null,
            ServerShare ?? OwnedDefaults.ServerOverheadShare,
            LifespanYears ?? OwnedDefaults.LifespanYears,
            Electricity?.At(corner) ?? OwnedDefaults.ElectricityPerKwh,
            Pue ?? OwnedDefaults.Pue,
            Power is { } w ? Watts.FromWatts(w) : null);

    /// <summary>The PUE for energy figures.</summary>
    public double FacilityPue => Pue ?? OwnedDefaults.Pue;

    /// <summary>The utilisation at a corner of the price ranges. Cost falls as utilisation rises, so the cheap corner
    /// takes its high end.</summary>
    public double UtilisationAt(Corner priceCorner) =>
        Utilisation.At(priceCorner switch { Corner.Low => Corner.High, Corner.High => Corner.Low, _ => Corner.Mid });

    /// <summary>Costs <paramref name="serving"/> at the centre and at the cheapest and dearest corners of the input
    /// ranges, and forms P10-P90 bands with the calibrated model-error band.</summary>
    public (CostEstimate Central, CostBands Bands) Estimate(ServingEstimate serving, Accelerator accelerator)
    {
        CostEstimate At(Corner c) => CostModel.Estimate(serving, accelerator, Basis(c), UtilisationAt(c), FacilityPue);
        var central = At(Corner.Mid);
        var bands = CostBands.Of(serving, central, At(Corner.Low), At(Corner.High), serving.ThroughputBand);
        return (central, bands);
    }
}
