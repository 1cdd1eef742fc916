using System.CommandLine;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Cli.Inputs;

/// <summary>The options that become a <see cref="ServingConfig"/>: devices, layout, precisions, request shape, batch,
/// memory reserve and efficiency factors.</summary>
internal sealed class ServingInputs
{
    private static readonly ServingConfig Defaults = new() { TotalDevices = 1 };
    private readonly bool _workload;
    private readonly bool _batch;

    /// <summary>Creates the options; <paramref name="workload"/> adds request shape, batching and efficiency options
    /// (everything beyond what memory fit needs); <paramref name="batch"/> adds <c>--batch</c>.</summary>
    public ServingInputs(bool workload, bool batch = true)
    {
        _workload = workload;
        _batch = batch;
    }

    public Option<int> Gpus { get; } = CliOptions.RequiredInt("--gpus", "Devices in the cluster; replicas = devices ÷ devices per replica.", 1, 1_000_000);

    public Option<int?> Tensor { get; } = CliOptions.OptionalInt("--tp", "Tensor-parallel degree per replica. Giving any of --tp/--pp/--ep/--dp fixes the layout (others default to 1); giving none picks the smallest layout that fits.", 1, 1024);
    public Option<int?> Pipeline { get; } = CliOptions.OptionalInt("--pp", "Pipeline-parallel degree per replica.", 1, 1024);
    public Option<int?> Expert { get; } = CliOptions.OptionalInt("--ep", "Expert-parallel degree (must divide tp × pp × dp).", 1, 1024);
    public Option<int?> AttentionData { get; } = CliOptions.OptionalInt("--dp", "Attention data-parallel degree (replicates attention and its KV cache; experts stay sharded).", 1, 1024);

    public Option<Precision?> Weights { get; } = CliOptions.Precision("--weights", "Weight precision. Default: the model's published precision.");
    public Option<Precision?> ExpertWeights { get; } = CliOptions.Precision("--expert-weights", "Routed-expert weight precision. Default: --weights, else the model's published expert precision.");
    public Option<Precision?> Kv { get; } = CliOptions.Precision("--kv", "KV-cache precision. Default: bf16.");
    public Option<Precision?> Compute { get; } = CliOptions.Precision("--compute", "Matrix-unit precision. Default: the weight precision where the device has a peak for it, else bf16.");

    public Option<int?> Batch { get; } = CliOptions.OptionalInt("--batch", "Concurrent sequences per replica. Default: the most that fit, capped at --max-batch.", 1, 1_000_000);
    public Option<double?> Reserve { get; } = CliOptions.OptionalDouble("--reserve", "Fraction of device memory held back for activations, graphs and fragmentation. Default: 0.1.", "F", CliOptions.InRange(0, 0.9));

    public Option<int> Input { get; } = CliOptions.Int("--input", "Prompt tokens per request.", 1, 10_000_000, Defaults.InputTokens);
    public Option<int> Output { get; } = CliOptions.Int("--output", "Generated tokens per request.", 1, 10_000_000, Defaults.OutputTokens);
    public Option<int> MaxBatch { get; } = CliOptions.Int("--max-batch", "Cap on the automatic batch (vLLM's max_num_seqs).", 1, 1_000_000, Defaults.MaxBatch);
    public Option<int?> PrefillChunk { get; } = CliOptions.OptionalInt("--prefill-chunk", $"Token budget of one prefill pass. Default: {Defaults.PrefillChunkTokens}.", 1, 10_000_000);

    public Option<double?> MatmulMfu { get; } = CliOptions.OptionalDouble("--mfu", $"Fraction of dense peak that matrix multiplies achieve (prefill and decode). Default: {Guard.Format(EfficiencyFactors.Default.MatmulMfu)} (calibrated).", "F", CliOptions.InRange(0.001, 1));
    public Option<double?> AttentionMfu { get; } = CliOptions.OptionalDouble("--attention-mfu", $"Fraction of dense peak that attention products achieve when compute-bound. Default: {Guard.Format(EfficiencyFactors.Default.AttentionMfu)}.", "F", CliOptions.InRange(0.001, 1));
    public Option<double?> Mbu { get; } = CliOptions.OptionalDouble("--mbu", $"Fraction of peak memory bandwidth achieved streaming weights and KV cache. Default: {Guard.Format(EfficiencyFactors.Default.Mbu)}.", "F", CliOptions.InRange(0.001, 1));
    public Option<double?> StepOverheadMs { get; } = CliOptions.OptionalDouble("--step-overhead-ms", $"Fixed time per step, ms. Default: {Guard.Format(EfficiencyFactors.Default.StepOverhead.Milliseconds)}.", "MS", CliOptions.InRange(0, 1000));
    public Option<double?> CollectiveLatencyUs { get; } = CliOptions.OptionalDouble("--collective-latency-us", $"Fixed latency per collective, µs. Default: {Guard.Format(EfficiencyFactors.Default.CollectiveLatency.Microseconds)}.", "US", CliOptions.InRange(0, 10_000));
    public Option<double?> LinkEfficiency { get; } = CliOptions.OptionalDouble("--link-efficiency", $"Fraction of link peak that collectives achieve. Default: {Guard.Format(EfficiencyFactors.Default.LinkEfficiency)}.", "F", CliOptions.InRange(0.001, 1));
    public Option<double?> RooflineSoftness { get; } = CliOptions.OptionalDouble("--roofline-softness", $"How far kernels near the roofline ridge fall short of max(compute, memory): 0 is a hard max, 1 adds the terms. Default: {Guard.Format(EfficiencyFactors.Default.RooflineSoftness)}.", "F", CliOptions.InRange(0, 1));
    public Option<double?> ActivationPasses { get; } = CliOptions.OptionalDouble("--activation-passes", $"Element-wise passes over each token's activations per layer, as memory traffic. Default: {Guard.Format(EfficiencyFactors.Default.ActivationPasses)}.", "N", CliOptions.InRange(0, 1000));

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        Option[] memory = [Gpus, Tensor, Pipeline, Expert, AttentionData, Weights, ExpertWeights, Kv, Compute, .. (_batch ? [Batch] : Array.Empty<Option>()), Reserve];
        Option[] workload = [Input, Output, MaxBatch, PrefillChunk, MatmulMfu, AttentionMfu, Mbu, StepOverheadMs, CollectiveLatencyUs, LinkEfficiency, ActivationPasses, RooflineSoftness];
        foreach (var option in _workload ? [.. memory, .. workload] : memory) command.Options.Add(option);
    }

    /// <summary>The layout the user fixed, or null to let the planner choose.</summary>
    public Parallelism? Layout(ParseResult parse)
    {
        int? tp = parse.GetValue(Tensor), pp = parse.GetValue(Pipeline), ep = parse.GetValue(Expert), dp = parse.GetValue(AttentionData);
        return tp is null && pp is null && ep is null && dp is null ? null : new Parallelism(tp ?? 1, pp ?? 1, ep ?? 1, dp ?? 1);
    }

    /// <summary>The serving configuration the options describe (validated later by the core).</summary>
    public ServingConfig Config(ParseResult parse)
    {
        var config = new ServingConfig
        {
            TotalDevices = parse.GetValue(Gpus),
            Parallelism = Layout(parse),
            WeightPrecision = parse.GetValue(Weights),
            ExpertWeightPrecision = parse.GetValue(ExpertWeights),
            KvPrecision = parse.GetValue(Kv) ?? Defaults.KvPrecision,
            ComputePrecision = parse.GetValue(Compute),
            Batch = _batch ? parse.GetValue(Batch) : null,
            MemoryReserveFraction = parse.GetValue(Reserve) ?? Defaults.MemoryReserveFraction,
        };
        if (!_workload) return config;

        var d = EfficiencyFactors.Default;
        return config with
        {
            InputTokens = parse.GetValue(Input),
            OutputTokens = parse.GetValue(Output),
            MaxBatch = parse.GetValue(MaxBatch),
            PrefillChunkTokens = parse.GetValue(PrefillChunk) ?? Defaults.PrefillChunkTokens,
            Efficiency = d with
            {
                MatmulMfu = parse.GetValue(MatmulMfu) ?? d.MatmulMfu,
                AttentionMfu = parse.GetValue(AttentionMfu) ?? d.AttentionMfu,
                Mbu = parse.GetValue(Mbu) ?? d.Mbu,
                StepOverhead = parse.GetValue(StepOverheadMs) is { } ms ? Seconds.FromMilliseconds(ms) : d.StepOverhead,
                CollectiveLatency = parse.GetValue(CollectiveLatencyUs) is { } us ? Seconds.FromMicroseconds(us) : d.CollectiveLatency,
                LinkEfficiency = parse.GetValue(LinkEfficiency) ?? d.LinkEfficiency,
                ActivationPasses = parse.GetValue(ActivationPasses) ?? d.ActivationPasses,
                RooflineSoftness = parse.GetValue(RooflineSoftness) ?? d.RooflineSoftness,
            },
        };
    }
}
