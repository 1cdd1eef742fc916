using Infercost.Quantities;

namespace Infercost.Calibration;

/// <summary>TensorRT-LLM 0.14's (Triton) runtime, fitted to the online-serving runs' mean time to first token and mean
/// inter-token latency below saturation by <see cref="OnlineFit.Fit"/>, with the data, command and date it came from.</summary>
/// <remarks>Refit with <c>infercost calibrate-online --data data/calibration/online-serving.csv</c>; a test refits and
/// fails if these stored values drift from what the data gives. See docs/validation.md#online-serving.</remarks>
public static class CalibratedOnlineRuntime
{
    /// <summary>The command that reproduces the values.</summary>
    public const string Command = "infercost calibrate-online --data data/calibration/online-serving.csv";

    /// <summary>The data the runtime was fitted to.</summary>
    public const string Data = "data/calibration/online-serving.csv: 72 online-serving runs, NVIDIA TensorRT-LLM 0.14 with the Triton backend " +
        "(docs/source/performance/perf-overview.md @ 258c7540, 'Online Serving Measurements'), Llama 3.1 8B (1 GPU) and 70B (TP4), H100 SXM and H200 SXM; " +
        "the rows below saturation";

    /// <summary>When the fit was made.</summary>
    public const string FittedOn = "2026-12-08";

    /// <summary>Host time per step, milliseconds: scheduling, input preparation and sampling between TensorRT-LLM 0.14's
    /// in-flight-batching steps, not overlapped with the GPU (0.14 has no overlap scheduler).</summary>
    public const double HostStepTimeMs = 1.668;

    /// <summary>Latency of one small collective (the tensor-parallel all-reduce at decode sizes), microseconds.</summary>
    public const double CollectiveLatencyUs = 36.37;

    /// <summary>Request path latency, milliseconds: Triton's ensemble (tokenising preprocessing model, the hand-offs
    /// between ensemble steps, the first token streamed back) outside the engine's steps; adds to the time to first token.</summary>
    public const double RequestLatencyMs = 5.163;

    /// <summary>The fitted runtime.</summary>
    public static EngineRuntime Runtime { get; } = new(Seconds.FromMilliseconds(HostStepTimeMs), Seconds.FromMicroseconds(CollectiveLatencyUs),
        $"fitted to {Data} ({Command}, {FittedOn})")
    {
        RequestLatency = Seconds.FromMilliseconds(RequestLatencyMs),
    };
}
