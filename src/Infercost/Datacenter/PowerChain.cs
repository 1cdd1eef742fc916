using Infercost.Quantities;

namespace Infercost.Datacenter;

/// <summary>One accelerator's share of facility power, stage by stage.</summary>
/// <param name="Board">Accelerator board power (TDP).</param>
/// <param name="Server">Board × (1 + host overhead): the accelerator's share of its server.</param>
/// <param name="Network">Server × network share.</param>
/// <param name="Storage">Server × storage share.</param>
/// <param name="It">Server + network + storage: IT load.</param>
/// <param name="Facility">IT × PUE: what the grid delivers.</param>
public sealed record PowerChain(Watts Board, Watts Server, Watts Network, Watts Storage, Watts It, Watts Facility)
{
    /// <summary>The chain for an accelerator of board power <paramref name="board"/>.</summary>
    /// <remarks>Server = board × (1 + h); IT = server × (1 + n + s); facility = IT × PUE, in watts.
    /// See docs/economics.md#datacentre-scale.</remarks>
    public static PowerChain For(Watts board, FacilityParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Guard.Positive(board.Value, "board-power");
        var server = board * (1 + parameters.HostOverhead);
        var network = server * parameters.NetworkShare;
        var storage = server * parameters.StorageShare;
        var it = server + network + storage;
        return new PowerChain(board, server, network, storage, it, it * parameters.Pue);
    }
}

/// <summary>One accelerator's share of capital cost, item by item.</summary>
/// <param name="Accelerator">The accelerator's price.</param>
/// <param name="Host">Accelerator × host capex share.</param>
/// <param name="Network">(Accelerator + host) × network capex share.</param>
/// <param name="Storage">(Accelerator + host) × storage capex share.</param>
/// <param name="Facility">IT watts × facility $/W.</param>
/// <param name="Hardware">Accelerator + host + network + storage.</param>
/// <param name="Total">Hardware + facility.</param>
/// <param name="PerHour">Hardware ÷ hardware life + facility ÷ facility life, per hour of 8,760 a year.</param>
public sealed record CapexChain(
    Dollars Accelerator, Dollars Host, Dollars Network, Dollars Storage, Dollars Facility, Dollars Hardware, Dollars Total,
    DollarsPerHour PerHour)
{
    /// <summary>Hours in a depreciation year.</summary>
    public const double HoursPerYear = 8760;

    /// <summary>The capex of one accelerator priced at <paramref name="price"/> drawing <paramref name="power"/>.</summary>
    /// <remarks>Server = price × (1 + host share); hardware = server × (1 + network share + storage share); facility =
    /// IT W × $/W; per hour = hardware ÷ (life × 8,760 h) + facility ÷ (facility life × 8,760 h), straight line, no
    /// financing cost. See docs/economics.md#datacentre-scale.</remarks>
    public static CapexChain For(Dollars price, PowerChain power, FacilityParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(power);
        ArgumentNullException.ThrowIfNull(parameters);
        Guard.Positive(price.Value, "gpu-price");
        var host = price * parameters.HostCapexShare;
        var server = price + host;
        var network = server * parameters.NetworkCapexShare;
        var storage = server * parameters.StorageCapexShare;
        var hardware = server + network + storage;
        var facility = Dollars.FromDollars(power.It.Value * parameters.FacilityCapexPerWatt);
        var perHour = DollarsPerHour.FromDollarsPerHour(
            (hardware.Value / (parameters.HardwareLifeYears * HoursPerYear)) + (facility.Value / (parameters.FacilityLifeYears * HoursPerYear)));
        return new CapexChain(price, host, network, storage, facility, hardware, hardware + facility, perHour);
    }
}
