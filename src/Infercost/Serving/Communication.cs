using Infercost.Models;
using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>Time of collectives on the device links.</summary>
/// <remarks>Ring all-reduce moves 2·(n−1)/n of the message through each device's link (Patarasuk &amp; Yuan 2009;
/// NCCL's bus-bandwidth convention). All-to-all sends (n−1)/n of each device's data off-device. Each collective also
/// pays a fixed latency. Links: the scale-up fabric when the group fits in one domain, the network otherwise. With a
/// kernel model the bandwidth is the link class's fitted bus bandwidth (Kernels/LinkClass.cs) × the serving fraction.
/// An accelerator whose interconnect is an ICI torus (TPU slices) prices the collectives inside its domain with
/// <see cref="TorusCollectives"/> instead: physical link bandwidth and hop latency, none of the GPU-fitted link terms.
/// See docs/methodology.md#communication and #torus-collectives.</remarks>
public static class Communication
{
    /// <summary>Time of one ring all-reduce of <paramref name="message"/> bytes over <paramref name="devices"/> devices; zero for one device.</summary>
    public static Seconds AllReduce(ServingSetup setup, Bytes message, int devices)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return devices <= 1 ? Seconds.Zero : Seconds.FromSeconds(AllReduceSeconds(setup, message.Value, devices));
    }

    // An all-reduce over `devices` devices of the setup, seconds: on the accelerator's ICI torus when it has one and the
    // group fits in it (TorusCollectives: physical link bandwidth and hop latency, no fitted term), else the ring over the
    // switch or network with the setup's link terms.
    private static double AllReduceSeconds(ServingSetup setup, double message, int devices) =>
        TorusCollectives.Applies(setup.Accelerator, devices)
            ? TorusCollectives.AllReduceSeconds(setup.Accelerator, message, devices)
            : AllReduceSeconds(message, devices, Link(setup, devices, allToAll: false));

    // As AllReduceSeconds, for an all-to-all of `perDevice` bytes per device.
    private static double AllToAllSeconds(ServingSetup setup, double perDevice, int devices) =>
        TorusCollectives.Applies(setup.Accelerator, devices)
            ? TorusCollectives.AllToAllSeconds(setup.Accelerator, perDevice, devices)
            : AllToAllSeconds(perDevice, devices, Link(setup, devices, allToAll: true));

    // AllReduce in seconds over a group with link terms (latency s, bandwidth B/s).
    private static double AllReduceSeconds(double message, int devices, (double Latency, double Bandwidth) link) =>
        devices <= 1 ? 0 : link.Latency + message * (2.0 * (devices - 1) / devices) / link.Bandwidth;

    // The (latency s, bandwidth B/s) of a collective over `devices` devices: the setup's own for its tensor (all-reduce)
    // or expert (all-to-all) group, else the link class's for the group; without a kernel model the engine's collective
    // latency and the link's nominal bandwidth × link efficiency.
    private static (double Latency, double Bandwidth) Link(ServingSetup setup, int devices, bool allToAll)
    {
        if (setup.StepKernels is { } k)
        {
            if (devices == (allToAll ? setup.Parallelism.Expert : setup.Parallelism.Tensor)) return allToAll ? k.Expert : k.Tensor;
            return KernelTerms.LinkTerms(setup.Efficiency.Kernels!, setup.Accelerator, devices, setup.Efficiency, allToAll);
        }

        return (setup.Efficiency.CollectiveLatency.Value, setup.Accelerator.LinkBandwidthFor(devices).Value * setup.Efficiency.LinkEfficiency);
    }

    /// <summary>Time of one all-to-all in which each device sends <paramref name="perDevice"/> bytes spread over
    /// <paramref name="devices"/> devices; zero for one device.</summary>
    public static Seconds AllToAll(ServingSetup setup, Bytes perDevice, int devices)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return devices <= 1 ? Seconds.Zero : Seconds.FromSeconds(AllToAllSeconds(setup, perDevice.Value, devices));
    }

    // AllToAll in seconds: each device sends `perDevice` bytes over a group with link terms (latency s, bandwidth B/s).
    private static double AllToAllSeconds(double perDevice, int devices, (double Latency, double Bandwidth) link) =>
        devices <= 1 ? 0 : link.Latency + perDevice * ((devices - 1.0) / devices) / link.Bandwidth;

    /// <summary>Time to move the KV cache of a <paramref name="promptTokens"/>-token prompt from a prefill replica of
    /// <paramref name="from"/> to a decode replica of <paramref name="to"/> over the scale-out network (disaggregated serving).</summary>
    /// <remarks>collective latency + bytes per device / (scale-out bandwidth per device × link efficiency). Each device
    /// sends the share of the cache it holds, all at once over its own NIC: bytes per sequence ÷ (pipeline × KV shard) of
    /// the side with fewer shards (the sender's KV precision, its latency and link efficiency; the slower of the two
    /// devices' bandwidths). For one-device replicas that is the whole prompt's KV bytes over one device's bandwidth.
    /// See docs/simulation.md#disaggregated-prefill-and-decode.</remarks>
    public static Seconds KvTransfer(ServingSetup from, ServingSetup to, int promptTokens)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        Guard.InRange(promptTokens, 0, int.MaxValue, "promptTokens");
        var shards = Math.Min(from.Parallelism.Pipeline * from.KvShard, to.Parallelism.Pipeline * to.KvShard);
        var bytes = KvCache.BytesPerSequence(from.Model, from.KvFormat, promptTokens) / shards;
        var link = BytesPerSecond.Min(from.Accelerator.ScaleOutBandwidth, to.Accelerator.ScaleOutBandwidth) * from.Efficiency.LinkEfficiency;
        return from.Efficiency.CollectiveLatency + bytes / link;
    }

    /// <summary>Bytes of one activation element on the wire: bf16.</summary>
    public const double ActivationBytes = 2.0;

    /// <summary>Communication of one pass of the layers in <paramref name="layersFraction"/> of the model (1 = all layers,
    /// 1/PP = one stage) for <paramref name="tokensPerTensorGroup"/> tokens per tensor-parallel group: two all-reduces per
    /// layer, plus an expert dispatch and combine per MoE layer when expert parallelism is on.</summary>
    public static Seconds ForPass(ServingSetup setup, double tokensPerTensorGroup, double layersFraction)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return Seconds.FromSeconds(PassSeconds(setup, setup.Parallelism.Tensor, setup.Parallelism.Expert, tokensPerTensorGroup, layersFraction));
    }

    /// <summary><see cref="ForPass"/> in seconds for <paramref name="setup"/>'s model, precisions and links under a layout
    /// with <paramref name="tensor"/>-wide tensor groups and <paramref name="expert"/>-wide expert groups (the layout
    /// search prices a candidate's collectives without building its setup).</summary>
    internal static double PassSeconds(ServingSetup setup, int tensor, int expert, double tokensPerTensorGroup, double layersFraction)
    {
        var m = setup.Model;
        var h = (double)m.HiddenSize;
        var time = 0.0;
        if (tensor > 1)
        {
            var message = tokensPerTensorGroup * h * ActivationBytes;
            time += AllReduceSeconds(setup, message, tensor) * (2 * m.Layers * layersFraction);
        }

        if (expert > 1 && m.Moe is { } moe)
        {
            // Each tensor-parallel rank dispatches its 1/TP share of the group's tokens to k experts.
            var tokensPerDevice = tokensPerTensorGroup / tensor;
            var dispatchBytes = setup.ComputePrecision.BytesPerElement() <= 1 ? 1.0 : ActivationBytes;
            var dispatch = AllToAllSeconds(setup, tokensPerDevice * moe.ExpertsPerToken * h * dispatchBytes, expert);
            var combine = AllToAllSeconds(setup, tokensPerDevice * moe.ExpertsPerToken * h * ActivationBytes, expert);
            time += (dispatch + combine) * (m.MoeLayers * layersFraction);
        }

        return time;
    }
}
