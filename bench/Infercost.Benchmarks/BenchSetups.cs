using Infercost.Serving;

namespace Infercost.Benchmarks;

/// <summary>The serving setups the simulator benchmarks share, built once here so every benchmark times the same replica.</summary>
internal static class BenchSetups
{
    /// <summary>Llama 3.1 8B on one H100 SXM, default serving configuration: the simulator benchmarks' replica.</summary>
    public static ServingSetup Llama8bOnH100()
    {
        var catalog = Catalog.Catalog.Embedded;
        return new ServingSetup(catalog.GetModel("llama-3.1-8b"), catalog.GetAccelerator("nvidia-h100-sxm"), Parallelism.Single,
            new ServingConfig { TotalDevices = 1 });
    }

    /// <summary>Llama 3.1 8B on one A100 SXM 80GB: the slower pool of the mixed-fleet benchmark.</summary>
    public static ServingSetup Llama8bOnA100()
    {
        var catalog = Catalog.Catalog.Embedded;
        return new ServingSetup(catalog.GetModel("llama-3.1-8b"), catalog.GetAccelerator("nvidia-a100-sxm-80gb"), Parallelism.Single,
            new ServingConfig { TotalDevices = 1 });
    }

    /// <summary>Llama 3.1 8B on one L40S (48 GB): a pool with a smaller KV cache than the H100's, so the fleet's routing
    /// is KV-aware.</summary>
    public static ServingSetup Llama8bOnL40s()
    {
        var catalog = Catalog.Catalog.Embedded;
        return new ServingSetup(catalog.GetModel("llama-3.1-8b"), catalog.GetAccelerator("nvidia-l40s"), Parallelism.Single,
            new ServingConfig { TotalDevices = 1 });
    }
}
