using Infercost.Hardware;

namespace Infercost.Kernels;

/// <summary>The kind of link a collective runs over: what collective curves are keyed by.</summary>
public enum LinkClass
{
    /// <summary>NVLink 3 through NVSwitch (A100 HGX, 8 GPUs): no in-switch reduction.</summary>
    NvLink3,
    /// <summary>NVLink 4 through NVSwitch (H100/H200 HGX): NVLink SHARP in-switch reduction.</summary>
    NvLink4,
    /// <summary>NVLink 5 (B200 HGX, GB200 NVL72 racks of up to 72 GPUs).</summary>
    NvLink5,
    /// <summary>AMD Infinity Fabric (MI300X/MI355X, 8 GPUs).</summary>
    InfinityFabric,
    /// <summary>PCIe between cards without a scale-up fabric.</summary>
    Pcie,
    /// <summary>The scale-out network (InfiniBand / RoCE) between scale-up domains.</summary>
    Network,
}

/// <summary>Which <see cref="LinkClass"/> a collective over some devices uses.</summary>
public static class LinkClasses
{
    /// <summary>The link class of a collective over <paramref name="devices"/> devices of <paramref name="accelerator"/>:
    /// the scale-up fabric of its architecture when the group fits in one scale-up domain, the network otherwise.</summary>
    public static LinkClass Of(Accelerator accelerator, int devices)
    {
        ArgumentNullException.ThrowIfNull(accelerator);
        return Of(accelerator, Architectures.Of(accelerator), devices);
    }

    /// <summary><see cref="Of(Accelerator, int)"/> with the accelerator's <see cref="Architectures.Of"/> already known.</summary>
    internal static LinkClass Of(Accelerator accelerator, Architecture architecture, int devices)
    {
        if (devices > accelerator.ScaleUpDomain || accelerator.ScaleUpBandwidth is null) return accelerator.ScaleUpDomain <= 1 && devices <= 8 ? LinkClass.Pcie : LinkClass.Network;
        return architecture switch
        {
            Architecture.Ampere => LinkClass.NvLink3,
            Architecture.Hopper => LinkClass.NvLink4,
            Architecture.Blackwell => LinkClass.NvLink5,
            Architecture.Cdna3 or Architecture.Cdna4 => LinkClass.InfinityFabric,
            Architecture.Ada => LinkClass.Pcie,
            _ => accelerator.ScaleUpDomain > 1 ? LinkClass.NvLink4 : LinkClass.Pcie,
        };
    }

    /// <summary>The lower-case name used in reports.</summary>
    public static string Name(this LinkClass link) => link switch
    {
        LinkClass.NvLink3 => "nvlink3",
        LinkClass.NvLink4 => "nvlink4",
        LinkClass.NvLink5 => "nvlink5",
        LinkClass.InfinityFabric => "infinity-fabric",
        LinkClass.Pcie => "pcie",
        _ => "network",
    };
}
