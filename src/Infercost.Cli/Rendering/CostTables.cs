using Infercost.Costing;
using Infercost.Hardware;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Rendering;

/// <summary>The cost table of a <see cref="CostEstimate"/>.</summary>
internal static class CostTables
{
    /// <summary>Hourly cost and its split, prices per million tokens and per request, and energy.</summary>
    public static Table Cost(CostEstimate c, CostBasis basis, Accelerator accelerator, CostBands? bands = null)
    {
        static string Band(Calibration.Banded? b) => b is null ? "" : $"  [P10-P90 {Money(b.P10)} .. {Money(b.P90)}]";
        var h = c.Cluster;
        var split = basis is OwnedCost
            ? $"capital {Money(h.Capital)} + energy {Money(h.Energy)}"
            : $"rental {Money(h.Rental)}";
        return KeyValueTable.Create("Cost",
        [
            ("Basis", Describe(basis, accelerator)),
            ("$/hour cluster", $"{Money(h.Total)} ({split})"),
            ("Utilisation", Percent(c.Utilisation)),
            ("$/MTok input", Money(c.InputPerMillion.Value) + " (cluster only prefilling)" + Band(bands?.InputPerMillion)),
            ("$/MTok output", Money(c.OutputPerMillion.Value) + " (cluster only decoding)" + Band(bands?.OutputPerMillion)),
            ("$/request", Money(c.PerRequest) + Band(bands?.PerRequest)),
            ("$/MTok blended", Money(c.BlendedPerMillion.Value) + " (request cost ÷ its tokens)"),
            ("Cluster power", c.ClusterPower is { } w ? Power(w) + " (incl. PUE)" : "n/a (no power figure)"),
            ("J/token input", c.JoulesPerInputToken is { } ji ? Number(ji) + " J" : null),
            ("J/token output", c.JoulesPerOutputToken is { } jo ? Number(jo) + " J" : null),
            ("kWh/MTok output", c.KilowattHoursPerMillionOutput is { } kwh ? Number(kwh) + " kWh" : null),
            ("Bands", bands?.Method),
        ]);
    }

    /// <summary>How the devices are paid for, in words.</summary>
    public static string Describe(CostBasis basis, Accelerator accelerator) => basis switch
    {
        RentalCost { PricePerDeviceHour: { } p } => $"rental at {Money(p)} per GPU",
        RentalCost r => $"rental at {Money(r.PerDevice(accelerator).Rental)} per GPU (catalog)",
        OwnedCost o => $"owned: {(o.PurchasePrice is { } d ? Money(d) : "catalog price")} per GPU" +
                       $" + {Percent(o.ServerOverheadShare)} server share over {Number(o.LifespanYears)} years, " +
                       $"{Money(o.ElectricityPerKwh)}/kWh at PUE {Number(o.Pue)}",
        _ => basis.GetType().Name,
    };
}
