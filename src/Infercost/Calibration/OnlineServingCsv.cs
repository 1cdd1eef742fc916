using System.Globalization;

namespace Infercost.Calibration;

/// <summary>One measured online-serving run (a row of data/calibration/online-serving.csv): requests offered at a rate
/// (or all at once), with measured throughput and mean latencies.</summary>
/// <param name="Id">Row id.</param>
/// <param name="ModelId">Model catalog id.</param>
/// <param name="AcceleratorId">Accelerator catalog id.</param>
/// <param name="TensorParallel">Tensor-parallel degree (one replica of tensor × pipeline devices).</param>
/// <param name="PipelineParallel">Pipeline-parallel degree.</param>
/// <param name="WeightPrecision">Weight precision.</param>
/// <param name="KvPrecision">KV-cache precision.</param>
/// <param name="InputTokens">Prompt tokens per request.</param>
/// <param name="OutputTokens">Output tokens per request.</param>
/// <param name="Requests">Requests sent.</param>
/// <param name="OfferedRequestsPerSecond">Offered rate; null for all at once (<c>inf</c>).</param>
/// <param name="MeasuredOutputTokensPerSecond">Generated tokens per second over the run.</param>
/// <param name="MeanTtftSeconds">Mean time to first token, seconds.</param>
/// <param name="MeanItlSeconds">Mean inter-token latency, seconds.</param>
public sealed record OnlineMeasurement(string Id, string ModelId, string AcceleratorId, int TensorParallel, int PipelineParallel,
    Precision WeightPrecision, Precision KvPrecision, int InputTokens, int OutputTokens, int Requests, double? OfferedRequestsPerSecond,
    double MeasuredOutputTokensPerSecond, double MeanTtftSeconds, double MeanItlSeconds)
{
    /// <summary>Devices of the replica.</summary>
    public int Gpus => TensorParallel * PipelineParallel;

    /// <summary>The row as a throughput measurement: all its requests kept in flight at once (a fixed concurrency of
    /// <see cref="Requests"/>), served by TensorRT-LLM 0.14's scheduler with the throughput fit's runtime
    /// (<see cref="ServingSoftware.TensorRtLlm014Unfitted"/>: the engine version held out). Only meaningful for the
    /// all-at-once rows.</summary>
    public Measurement AsThroughput() => new(Id, "TRTLLM-ONLINE-V0.14", ModelId, AcceleratorId, Gpus, TensorParallel, PipelineParallel, 1, 1,
        WeightPrecision, KvPrecision, LoadScenario.Concurrency, InputTokens, OutputTokens, Requests, MeasuredOutputTokensPerSecond,
        "online-serving.csv")
    {
        Engine = ServingSoftware.TensorRtLlm014Unfitted,
    };
}

/// <summary>Reads data/calibration/online-serving.csv (strict: any bad field is an error naming its line and column).</summary>
public static class OnlineServingCsv
{
    /// <summary>Columns the file must have.</summary>
    public static IReadOnlyList<string> RequiredColumns { get; } =
    [
        "id", "model", "accelerator", "tensor_parallel", "pipeline_parallel", "weight_precision", "kv_precision", "input_tokens",
        "output_tokens", "requests", "offered_requests_per_s", "measured_output_tokens_per_s", "mean_ttft_ms", "mean_itl_ms",
    ];

    /// <summary>Parses the CSV text; throws <see cref="InvalidInputException"/> listing every problem.</summary>
    public static IReadOnlyList<OnlineMeasurement> Parse(string csv, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var records = MeasurementCsv.SplitRecords(csv);
        if (records.Count == 0) throw new InvalidInputException(sourceName, $"{sourceName}: the file is empty.");
        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = RequiredColumns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0) throw new InvalidInputException(sourceName, $"{sourceName}: missing column(s) {string.Join(", ", missing)}.");
        var problems = new List<string>();
        var rows = new List<OnlineMeasurement>();
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.All(string.IsNullOrWhiteSpace)) continue;
            string Text(string c) { var i = header.IndexOf(c); return i < fields.Count ? fields[i].Trim() : ""; }
            double Number(string c)
            {
                var t = Text(c);
                if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && v > 0) return v;
                problems.Add($"{sourceName}:{line}: {c} must be a number > 0; was '{t}'.");
                return 1;
            }

            Precision Prec(string c)
            {
                if (PrecisionInfo.TryParse(Text(c), out var p)) return p;
                problems.Add($"{sourceName}:{line}: {c} must be one of {PrecisionInfo.AcceptedNames}; was '{Text(c)}'.");
                return Precision.Bf16;
            }

            var offered = Text("offered_requests_per_s");
            double? rate = string.Equals(offered, "inf", StringComparison.OrdinalIgnoreCase) ? null : Number("offered_requests_per_s");
            rows.Add(new OnlineMeasurement(Text("id"), Text("model"), Text("accelerator"), (int)Number("tensor_parallel"), (int)Number("pipeline_parallel"),
                Prec("weight_precision"), Prec("kv_precision"), (int)Number("input_tokens"), (int)Number("output_tokens"), (int)Number("requests"), rate,
                Number("measured_output_tokens_per_s"), Number("mean_ttft_ms") / 1000, Number("mean_itl_ms") / 1000));
        }

        if (problems.Count > 0) throw new InvalidInputException(sourceName, string.Join(Environment.NewLine, problems));
        return rows;
    }
}
