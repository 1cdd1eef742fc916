using Infercost.Hardware;
using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Rendering;

/// <summary>Tables for a <see cref="ServingEstimate"/>: setup, memory, throughput and notes.</summary>
internal static class ServingTables
{
    /// <summary>Model, accelerator, layout, replicas, precisions and parameter counts.</summary>
    public static Table Setup(ServingEstimate e, ModelArchitecture model, Accelerator accelerator)
    {
        var p = e.Parallelism;
        return KeyValueTable.Create("Setup",
        [
            ("Model", $"{model.Id} ({model.Name})"),
            ("Accelerator", $"{accelerator.Id} ({accelerator.Name})"),
            ("Layout per replica", $"{p.DevicesPerReplica} × {accelerator.Id} ({p})"),
            ("Replicas", $"{e.Replicas} on {e.TotalDevices} devices" + (e.IdleDevices > 0 ? $" ({e.IdleDevices} idle)" : "")),
            ("Weights / experts", model.IsMoe ? $"{e.WeightPrecision.Name()} / {e.ExpertPrecision.Name()}" : e.WeightPrecision.Name()),
            ("KV cache", e.KvPrecision.Name()),
            ("Compute", $"{e.ComputePrecision.Name()} ({Flops(e.PeakPerDevice)} dense peak per device)"),
            ("Parameters total", Parameters(e.TotalParameters)),
            ("Parameters active", Parameters(e.ActiveParameters) + " per token (input embedding excluded)"),
            ("Request", $"{Number(e.InputTokens)} input + {Number(e.OutputTokens)} output tokens"),
        ]);
    }

    /// <summary>Per-device memory: capacity, reserve, weights, KV cache and the batch that fits.</summary>
    /// <param name="m">The plan.</param>
    /// <param name="batch">The batch shown on the last row, per replica.</param>
    /// <param name="batchLabel">That row's label.</param>
    /// <param name="dataRanks">Attention-DP ranks per replica: each has its own scheduler and batch cap.</param>
    /// <param name="cap">The --max-batch cap per DP rank, when the batch was capped by it.</param>
    public static Table Memory(MemoryPlan m, int? batch = null, string batchLabel = "Batch used", int dataRanks = 1, int? cap = null) =>
        KeyValueTable.Create("Memory (per GPU)",
        [
            ("Capacity", Bytes(m.Capacity)),
            ("Runtime reserve", Bytes(m.Reserve)),
            ("Weights", Bytes(m.Weights)),
            ("KV cache available", !m.WeightsFit ? $"none: does not fit (weights and reserve exceed capacity by {Bytes(m.Shortfall)})" : Bytes(m.KvAvailable)),
            ("KV bytes per token (whole model)", Bytes(m.KvBytesPerToken)),
            ($"KV per sequence at {Number(m.ContextTokens)} tokens", Bytes(m.SequenceKv) +
                (Math.Abs(m.SequenceKv.Value - m.KvPerSequence.Value) > 0.5 ? $" ({Bytes(m.KvPerSequence)} per device, averaged over the replica)" : "")),
            ("  of which speculation", m.DraftWeights.Value > 0 || m.DraftKvPerSequence.Value > 0
                ? $"draft/MTP weights {Bytes(m.DraftWeights)}, draft KV {Bytes(m.DraftKvPerSequence)} per sequence per device (in the figures above)"
                : null),
            ($"Max batch at {Number(m.ContextTokens)} tokens", Number(m.MaxBatch) + " per replica"),
            (batchLabel, batch is { } b ? Number(b) + " per replica" + BatchNote(b, dataRanks, cap) : null),
        ]);

    // "18,432 per replica (256 per DP rank × 72 ranks)": the cap is per attention-DP rank, each with its own scheduler.
    private static string BatchNote(int batch, int dataRanks, int? cap) =>
        cap is { } c && (long)c * dataRanks == batch && dataRanks > 1 ? $" (--max-batch {Number(c)} per DP rank × {Number(dataRanks)} ranks)"
        : cap is { } c1 && c1 == batch ? " (--max-batch)"
        : "";

    /// <summary>Prefill and decode rates, latencies, bounds and utilisation.</summary>
    public static Table Throughput(ServingEstimate e, Costing.CostBands? bands = null)
    {
        static string Band(Calibration.Banded? b) => b is null ? "" : $"  [P10-P90 {Number(b.P10)} .. {Number(b.P90)}]";
        var pf = e.Prefill;
        var d = e.Decode;
        var hour = Seconds.FromHours(1);
        return KeyValueTable.Create("Throughput",
        [
            ("Prefill per replica", $"{Rate(pf.TokensPerSecond)} ({pf.Bound.ToString().ToLowerInvariant()}-bound, {Number(pf.Sequences)} prompts per pass)"),
            ("Prefill cluster", Rate(e.ClusterPrefillTokensPerSecond) + Band(bands?.ClusterPrefillTokensPerSecond)),
            ("Time to first token", Time(pf.TimeToFirstToken) + " (idle replica, no queueing)"),
            ("Prefill FLOP utilisation", Percent(pf.FlopUtilisation)),
            ("Decode step time", d.Cost is null
                ? $"{Time(d.StepTime)} (compute {Time(d.ComputeTime)}, memory {Time(d.MemoryTime)}, comm {Time(d.CommunicationTime)}, overhead {Time(d.Overhead)})"
                : Time(d.StepTime)),
            ("  linear layers", d.Cost is { } c1 ? $"{Time(c1.Linear)} (compute {Time(c1.LinearCompute)}, weight reads {Time(c1.LinearMemory)})" : null),
            ("  attention", d.Cost is { } c2 ? $"{Time(c2.Attention)} (compute {Time(c2.AttentionCompute)}, KV reads {Time(c2.AttentionMemory)})" : null),
            ("  element-wise", d.Cost is { Elementwise.Value: > 0 } c3 ? Time(c3.Elementwise) : null),
            ("  communication", d.Cost is { } c4 ? Time(c4.Communication) : null),
            ("  overhead", d.Cost is { } c5 ? Time(c5.Overhead) : null),
            ("  speculation", e.Speculation is { } s1
                ? $"verify {Time(s1.VerifyTime)} ({s1.Length + 1} tokens per sequence, {s1.VerifyBound.ToString().ToLowerInvariant()}-bound) + draft {Time(s1.DraftTime)}: " +
                  $"{Number(s1.TokensPerStep)} tokens per step ({s1.Method}{(s1.DraftModel is { } dm ? " " + dm : "")}, k = {s1.Length}, acceptance {string.Join(", ", s1.Acceptance.Select(Number))})"
                : null),
            ("Decode bound", d.Bound.ToString().ToLowerInvariant()),
            ("Decode batch", $"{Number(d.Batch)} sequences at {Number(d.ContextTokens)} tokens of context"),
            ("Decode per replica", Rate(d.TokensPerSecond)),
            ("Decode per user", Rate(d.TokensPerSecondPerUser) + Band(bands?.DecodeTokensPerSecondPerUser)),
            ("Decode cluster (output)", Rate(e.ClusterDecodeTokensPerSecond) + Band(bands?.ClusterDecodeTokensPerSecond)),
            ("Tokens per hour input", Count((e.ClusterPrefillTokensPerSecond * hour).Value)),
            ("Tokens per hour output", Count((e.ClusterDecodeTokensPerSecond * hour).Value)),
            ("Decode bandwidth utilisation", Percent(d.BandwidthUtilisation)),
            ("Decode FLOP utilisation", Percent(d.FlopUtilisation) + (e.Speculation is null ? "" : " (FLOPs of the tokens kept)")),
            ("Plain → speculative decode", e.Speculation is { } s2
                ? $"{Rate(s2.PlainTokensPerSecond)} → {Rate(d.TokensPerSecond)} per replica ({Factor(s2.SpeedUp)}), {Rate(s2.PlainTokensPerSecondPerUser)} → {Rate(d.TokensPerSecondPerUser)} per user"
                : null),
            ("GPU utilisation plain → speculative", e.Speculation is { } s3
                ? $"compute busy {Percent(s3.PlainComputeBusy)} → {Percent(s3.ComputeBusy)}, MFU {Percent(s3.PlainMfu)} → {Percent(s3.Mfu)} (all FLOPs run {Percent(s3.HardwareFlopsUtilisation)}), HBM {Percent(s3.PlainBandwidthUtilisation)} → {Percent(d.BandwidthUtilisation)}"
                : null),
            ("Request latency", Time(e.RequestLatency) + (e.Speculation is null ? " (TTFT + output × step time)" : " (TTFT + output ÷ decode per user)")),
        ]);
    }

    /// <summary>The estimate's notes as a bulleted list, or nothing when there are none.</summary>
    public static void WriteNotes(IAnsiConsole console, IReadOnlyList<string> notes)
    {
        if (notes.Count == 0) return;
        console.Write(new Rule("Notes").LeftJustified());
        foreach (var note in notes) console.WriteLine("• " + note);
    }
}
