using Infercost.Hardware;
using Infercost.Quantities;

namespace Infercost.Costing;

/// <summary>How devices are paid for.</summary>
public abstract record CostBasis
{
    /// <summary>Hourly cost of one device, split into its parts.</summary>
    public abstract HourlyCost PerDevice(Accelerator accelerator);
}

/// <summary>Rented by the device-hour; energy and facility are in the price.</summary>
/// <param name="PricePerDeviceHour">Rental price per device-hour; null uses the catalog's typical price.</param>
public sealed record RentalCost(DollarsPerHour? PricePerDeviceHour = null) : CostBasis
{
    /// <inheritdoc />
    public override HourlyCost PerDevice(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var price = PricePerDeviceHour ?? accelerator.RentalPerHour
            ?? throw new InvalidInputException("gpuPrice", $"{accelerator.Id} has no rental price in the catalog; give one with --gpu-price (dollars per GPU-hour).");
        Guard.InRange(price.Value, 0, 10_000, "gpuPrice");
        return new HourlyCost(Rental: price, Capital: DollarsPerHour.Zero, Energy: DollarsPerHour.Zero);
    }
}

/// <summary>Bought outright: purchase price (plus a server share) written off straight-line over a lifespan, plus
/// electricity at the device's power times the facility's PUE.</summary>
/// <param name="PurchasePrice">Price per device; null uses the catalog's estimate.</param>
/// <param name="ServerOverheadShare">Host, chassis, networking and install as a fraction of the device price (0.3 = +30%).</param>
/// <param name="LifespanYears">Straight-line depreciation period in years (8,760 hours each).</param>
/// <param name="ElectricityPerKwh">Electricity price in dollars per kWh.</param>
/// <param name="Pue">Power usage effectiveness: facility power / IT power (cooling and conversion). 2.0 means cooling costs as much as the chips.</param>
/// <param name="PowerPerDevice">Power per device at load; null uses the catalog TDP.</param>
public sealed record OwnedCost(
    Dollars? PurchasePrice = null,
    double ServerOverheadShare = 0.0,
    double LifespanYears = 5,
    double ElectricityPerKwh = 0.08,
    double Pue = 1.3,
    Watts? PowerPerDevice = null) : CostBasis
{
    /// <summary>Hours in a year for straight-line depreciation.</summary>
    public const double HoursPerYear = 8760;

    /// <inheritdoc />
    /// <remarks>Capital $/h = price × (1 + server share) / (years × 8,760). Energy $/h = power × PUE × $/kWh.
    /// Source for the method: Goedecke 2026 ("AI inference is obviously profitable"). See docs/methodology.md#cost.</remarks>
    public override HourlyCost PerDevice(Accelerator accelerator)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        var price = PurchasePrice ?? accelerator.PurchasePrice
            ?? throw new InvalidInputException("purchasePrice", $"{accelerator.Id} has no purchase price in the catalog; give one with --purchase-price (dollars per GPU).");
        Guard.InRange(price.Value, 0, 100_000_000, "purchasePrice");
        Guard.InRange(ServerOverheadShare, 0, 10, "serverOverheadShare");
        Guard.InRange(LifespanYears, 0.1, 30, "lifespanYears");
        Guard.InRange(ElectricityPerKwh, 0, 10, "electricityPerKwh");
        Guard.InRange(Pue, 1, 5, "pue");
        var power = PowerPerDevice ?? accelerator.Tdp
            ?? throw new InvalidInputException("power", $"{accelerator.Id} has no TDP in the catalog; give one with --power (watts per GPU).");
        Guard.InRange(power.Value, 0, 100_000, "power");
        var capital = DollarsPerHour.FromDollarsPerHour(price.Value * (1 + ServerOverheadShare) / (LifespanYears * HoursPerYear));
        var energy = DollarsPerHour.FromDollarsPerHour(power.Kilowatts * Pue * ElectricityPerKwh);
        return new HourlyCost(Rental: DollarsPerHour.Zero, Capital: capital, Energy: energy);
    }
}

/// <summary>Hourly cost split into rental, capital (depreciation) and energy (including cooling).</summary>
public sealed record HourlyCost(DollarsPerHour Rental, DollarsPerHour Capital, DollarsPerHour Energy)
{
    /// <summary>Rental + capital + energy.</summary>
    public DollarsPerHour Total => Rental + Capital + Energy;

    /// <summary>This cost for <paramref name="devices"/> devices.</summary>
    public HourlyCost Times(int devices) => new(Rental * devices, Capital * devices, Energy * devices);
}
