namespace Infercost.Datacenter;

// Every step from one accelerator's board power (or price) to the facility's is one named factor with its source, so
// that a published "N GPUs and M MW" can be taken apart factor by factor. Figures without a public measurement behind
// them say "assumption" in their source; the user replaces any of them.

/// <summary>The factors that turn an accelerator into facility power and capital cost.</summary>
/// <param name="HostOverhead">Server power beyond the accelerators (CPUs, DRAM, NICs, switch chips, fans, PSU losses) as a
/// fraction of the accelerators' board power, in [0, 5].</param>
/// <param name="NetworkShare">Cluster network (switches, optics) as a fraction of server power, in [0, 1].</param>
/// <param name="StorageShare">Storage servers as a fraction of server power, in [0, 1].</param>
/// <param name="Pue">Power usage effectiveness: facility power ÷ IT power (cooling, power conversion, lighting), in [1, 3].</param>
/// <param name="HostCapexShare">Server cost beyond the accelerators (chassis, CPUs, DRAM, NICs) as a fraction of the
/// accelerator price, in [0, 5].</param>
/// <param name="NetworkCapexShare">Network capex as a fraction of server capex, in [0, 2].</param>
/// <param name="StorageCapexShare">Storage capex as a fraction of server capex, in [0, 2].</param>
/// <param name="FacilityCapexPerWatt">Building, power and cooling plant per watt of IT load, $/W, in [0, 100].</param>
/// <param name="HardwareLifeYears">Straight-line life of servers, network and storage, in [0.5, 30].</param>
/// <param name="FacilityLifeYears">Straight-line life of the building and plant, in [1, 60].</param>
/// <param name="ElectricityPerKwh">Energy price, $/kWh, in [0, 10].</param>
public sealed record FacilityParameters(
    double HostOverhead,
    double NetworkShare,
    double StorageShare,
    double Pue,
    double HostCapexShare,
    double NetworkCapexShare,
    double StorageCapexShare,
    double FacilityCapexPerWatt,
    double HardwareLifeYears,
    double FacilityLifeYears,
    double ElectricityPerKwh)
{
    /// <summary>NVIDIA DGX H100: 10.2 kW maximum system input for 8 × 700 W GPUs, so the rest of the server draws
    /// 10.2 ÷ 5.6 − 1 = 0.821 of the GPUs' board power at full load (DGX H100/H200 user guide, power specifications;
    /// typical draw is 6.5–8.5 kW).</summary>
    public const double DgxH100HostOverhead = (10.2 / 5.6) - 1;

    /// <summary>The defaults, each with its source in <see cref="Sources"/>.</summary>
    public static FacilityParameters Default { get; } = new(
        HostOverhead: DgxH100HostOverhead,
        NetworkShare: 0.08,
        StorageShare: 0.02,
        Pue: 1.2,
        HostCapexShare: 0.25,
        NetworkCapexShare: 0.15,
        StorageCapexShare: 0.03,
        FacilityCapexPerWatt: 10,
        HardwareLifeYears: 5,
        FacilityLifeYears: 15,
        ElectricityPerKwh: 0.08125);

    /// <summary>Where each default comes from, by parameter (the CLI flag without its dashes).</summary>
    public static IReadOnlyDictionary<string, string> Sources { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["host-overhead"] = "NVIDIA DGX H100 user guide: 10.2 kW max system input for 8 × 700 W GPUs (typical 6.5-8.5 kW)",
        ["network-share"] = "assumption: switches and optics of a non-blocking fabric, 5-15% of server power",
        ["storage-share"] = "assumption",
        ["pue"] = "hyperscale AI halls 1.1-1.2; industry average 1.58 (Uptime Institute Global Data Center Survey 2023)",
        ["host-capex-share"] = "assumption: an 8-GPU server costs about 1.25 × its GPUs",
        ["network-capex-share"] = "assumption: 10-20% of cluster capex in public build-outs",
        ["storage-capex-share"] = "assumption",
        ["facility-capex-per-watt"] = "$7-15M per MW of IT load (Cortex Construct, data center construction cost per MW, 2026-02-20)",
        ["hardware-life"] = "straight line over 5 years (Goedecke 2026, golden case 3)",
        ["facility-life"] = "assumption: 15-year straight line for building and plant",
        ["electricity"] = "$0.08125/kWh, US industrial average implied by Goedecke's 13c/h for 1.6 kW (golden case 3; EIA)",
    };

    /// <summary>Checks every field's range; messages name the CLI flag.</summary>
    public FacilityParameters Validated()
    {
        Guard.InRange(HostOverhead, 0, 5, "host-overhead");
        Guard.InRange(NetworkShare, 0, 1, "network-share");
        Guard.InRange(StorageShare, 0, 1, "storage-share");
        Guard.InRange(Pue, 1, 3, "pue");
        Guard.InRange(HostCapexShare, 0, 5, "host-capex-share");
        Guard.InRange(NetworkCapexShare, 0, 2, "network-capex-share");
        Guard.InRange(StorageCapexShare, 0, 2, "storage-capex-share");
        Guard.InRange(FacilityCapexPerWatt, 0, 100, "facility-capex-per-watt");
        Guard.InRange(HardwareLifeYears, 0.5, 30, "hardware-life");
        Guard.InRange(FacilityLifeYears, 1, 60, "facility-life");
        Guard.InRange(ElectricityPerKwh, 0, 10, "electricity");
        return this;
    }
}
