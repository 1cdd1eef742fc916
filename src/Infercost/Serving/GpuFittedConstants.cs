using Infercost.Kernels;

namespace Infercost.Serving;

// The step model's efficiencies were fitted on GPUs: the kernel curves on GPU microbenchmarks, the serving fractions
// and overheads on GPU serving measurements (docs/validation.md). No TPU, LPU or wafer measurement exists in the data to
// replace them, and swapping in 1.0 would be just as unsourced for those parts (and would make them look better than
// every GPU priced beside them). So they are kept, and an estimate for a non-GPU part names every one that entered its
// step, in its notes and in its JSON (gpuDerivedConstants). The collectives of a torus part are the exception: they are
// priced on the torus from physical figures (TorusCollectives), so the GPU link terms do not enter.

/// <summary>Which GPU-fitted constants enter a setup's step when its accelerator is not a GPU.</summary>
public static class GpuFittedConstants
{
    /// <summary>The GPU-fitted constants that enter <paramref name="setup"/>'s step, one entry each with its value
    /// (for the scalars) and where it was fitted; null when the accelerator is a GPU generation the curves are keyed by.</summary>
    public static IReadOnlyList<string>? For(ServingSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        if (setup.Architecture != Architecture.Other) return null;
        var e = setup.Efficiency;
        var list = new List<string>();
        if (e.Kernels is { } k)
        {
            var hopper = Architecture.Hopper.Name();
            if (!k.Covers(setup.Architecture, setup.ComputePrecision))
                list.Add($"GEMM curve ({hopper} {KernelModel.GemmKey(setup.ComputePrecision).Name()}: peak and bandwidth fractions, half-efficiency rows, fixed latency per GEMM)");
            if (!k.Prefill.ContainsKey(setup.Architecture)) list.Add($"prefill attention curve ({hopper})");
            if (!k.Decode.ContainsKey(setup.Architecture)) list.Add($"decode attention curve ({hopper}: bandwidth fraction, fixed latency per layer)");
            if (setup.Model.IsMoe) list.Add("grouped-GEMM module cost and routing imbalance (GPU MoE benchmarks)");
        }

        list.Add($"matmulMfu {G(e.MatmulMfu)}, attentionMfu {G(e.AttentionMfu)}, mbu {G(e.Mbu)} (serving fractions fitted on GPU rows)");
        list.Add($"stepOverhead {G(e.StepOverhead.Value * 1e3)} ms ({setup.Config.Engine.Name} profile, GPU host time)");
        if (e.ActivationPasses > 0) list.Add($"activationPasses {G(e.ActivationPasses)} (fitted on GPU rows)");
        list.Add($"rooflineSoftness {G(e.RooflineSoftness)} (fitted on GPU rows)");
        var p = setup.Parallelism;
        if (GpuLinkTermsApply(setup, p.Tensor) || (setup.Model.IsMoe && GpuLinkTermsApply(setup, p.Expert)))
        {
            list.Add($"collectiveLatency {G(e.CollectiveLatency.Value * 1e6)} µs, linkEfficiency {G(e.LinkEfficiency)}" +
                     (e.Kernels is not null ? " and the GPU link class's collective curve" : "") + " (collectives not on a torus)");
        }

        return list;
    }

    private static bool GpuLinkTermsApply(ServingSetup setup, int devices) =>
        devices > 1 && !TorusCollectives.Applies(setup.Accelerator, devices);

    private static string G(double value) => Guard.Format(Math.Round(value, 4));
}
