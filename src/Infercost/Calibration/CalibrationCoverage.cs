using Infercost.Kernels;
using Infercost.Models;
using Infercost.Serving;

namespace Infercost.Calibration;

/// <summary>What the calibration data covered, dimension by dimension: every prediction is compared with it and says
/// where it extrapolates (<see cref="Assess"/>).</summary>
/// <param name="Generations">Accelerator generations of the rows.</param>
/// <param name="Precisions">Weight and KV precisions of the rows (fp16 and bf16 count as one 16-bit class).</param>
/// <param name="Families">Model families of the rows (<see cref="Family"/>).</param>
/// <param name="MinExpertWidth">Narrowest routed-expert intermediate width among the rows' MoE models; null without MoE rows.</param>
/// <param name="MaxExperts">Most routed experts per layer among the rows' MoE models (0 without MoE rows).</param>
/// <param name="Engine">Id of the serving engine the rows ran (<see cref="ServingSoftware.Id"/>).</param>
/// <param name="MinDecodeBatch">Smallest decode batch (sequences per step) among the rows' predictions.</param>
/// <param name="MaxDecodeBatch">Largest decode batch among the rows' predictions.</param>
/// <param name="MaxTensorParallel">Largest tensor-parallel degree in the rows (no row had pipeline, expert or attention-data parallelism).</param>
public sealed record CalibrationCoverage(
    IReadOnlyList<Architecture> Generations,
    IReadOnlyList<Precision> Precisions,
    IReadOnlyList<string> Families,
    int? MinExpertWidth,
    int MaxExperts,
    string Engine,
    double MinDecodeBatch,
    double MaxDecodeBatch,
    int MaxTensorParallel)
{
    /// <summary>The coverage of data/calibration/throughput-calibration.csv (a test recomputes it with <see cref="Of"/>).</summary>
    public static CalibrationCoverage Shipped { get; } = new(
        [Architecture.Ampere, Architecture.Ada, Architecture.Hopper],
        [Precision.Fp16, Precision.Fp8],
        ["llama", "mistral", "mixtral"],
        MinExpertWidth: 14336,
        MaxExperts: 8,
        Engine: "trtllm-0.17",
        MinDecodeBatch: 9,
        MaxDecodeBatch: 2048,
        MaxTensorParallel: 8);

    /// <summary>The family of a model id: its first dash-separated word (<c>llama-3.1-8b</c> → <c>llama</c>,
    /// <c>qwen3-30b-a3b</c> → <c>qwen3</c>).</summary>
    public static string Family(string modelId)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        var dash = modelId.IndexOf('-', StringComparison.Ordinal);
        return (dash > 0 ? modelId[..dash] : modelId).ToLowerInvariant();
    }

    /// <summary>The precision class a coverage check compares: fp16 and bf16 are one 16-bit class.</summary>
    public static Precision Class(Precision precision) => precision == Precision.Bf16 ? Precision.Fp16 : precision;

    /// <summary>The coverage of <paramref name="predictions"/> (their rows and, for the batch range, their predicted steps).</summary>
    public static CalibrationCoverage Of(IReadOnlyList<Prediction> predictions, Catalog.Catalog catalog, ServingSoftware engine)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(engine);
        var rows = predictions.Where(p => p.Step is not null).ToList();
        if (rows.Count == 0) throw new InvalidInputException("data", "no row could be predicted, so there is no coverage to measure.");
        var models = rows.Select(p => catalog.GetModel(p.Row.ModelId)).DistinctBy(m => m.Id).ToList();
        var moe = models.Where(m => m.Moe is not null).Select(m => m.Moe!).ToList();
        return new CalibrationCoverage(
            rows.Select(p => Architectures.Of(catalog.GetAccelerator(p.Row.AcceleratorId))).Distinct().Order().ToList(),
            rows.SelectMany(p => new[] { Class(p.Row.WeightPrecision), Class(p.Row.KvPrecision) }).Distinct().Order().ToList(),
            models.Select(m => Family(m.Id)).Distinct().Order(StringComparer.Ordinal).ToList(),
            moe.Count == 0 ? null : moe.Min(m => m.ExpertIntermediateSize),
            moe.Count == 0 ? 0 : moe.Max(m => m.Experts),
            engine.Id,
            Math.Floor(rows.Min(p => p.Step!.DecodeTokens)),
            Math.Ceiling(rows.Max(p => p.Step!.DecodeTokens)),
            rows.Max(p => p.Row.TensorParallel));
    }

    /// <summary>Where a simulated run of <paramref name="setup"/> lies outside this coverage, at the decode batch it ran:
    /// <paramref name="outputTokens"/> ÷ <paramref name="steps"/> (each step one replica's), ÷ the tokens a sequence emits
    /// per step when speculating (1 + Σ Π a_j), with the setup's own engine.</summary>
    public IReadOnlyList<Extrapolation> AssessRun(ServingSetup setup, double outputTokens, long steps)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return Assess(setup, setup.Config.Engine, RunDecodeBatch(setup, outputTokens, steps));
    }

    /// <summary>Decode sequences per step a run of <paramref name="setup"/> ran at on average: output tokens ÷ steps ÷ the
    /// tokens a sequence emits per step (1 + Σ Π a_j when speculating, else 1).</summary>
    public static double RunDecodeBatch(ServingSetup setup, double outputTokens, long steps)
    {
        ArgumentNullException.ThrowIfNull(setup);
        return outputTokens / Math.Max(1, steps) / (setup.Config.Speculation?.ExpectedTokensPerStep ?? 1);
    }

    /// <summary>Where a prediction for <paramref name="setup"/> served by <paramref name="engine"/> at a decode batch of
    /// <paramref name="decodeBatch"/> sequences lies outside this coverage, one entry per reason, in the order the
    /// dimensions are declared.</summary>
    public IReadOnlyList<Extrapolation> Assess(ServingSetup setup, ServingSoftware engine, double decodeBatch)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(engine);
        var list = new List<Extrapolation>();
        var generation = setup.Architecture;
        if (!Generations.Contains(generation)) list.Add(new(CoverageDimension.GpuGeneration, GenerationLabel(generation)));

        foreach (var (precision, what) in new[] { (setup.WeightPrecision, "weights"), (setup.ExpertPrecision, "expert weights"), (setup.KvPrecision, "KV cache") }.DistinctBy(x => x.Item1))
        {
            if (!Precisions.Contains(Class(precision))) list.Add(new(CoverageDimension.Precision, $"{precision.Name().ToUpperInvariant()} {what}"));
        }

        var m = setup.Model;
        var family = Family(m.Id);
        if (!Families.Contains(family, StringComparer.Ordinal)) list.Add(new(CoverageDimension.ModelFamily, $"model family {family}"));
        if (m.Moe is { } moe && (MinExpertWidth is not { } narrowest || moe.ExpertIntermediateSize < narrowest || moe.Experts > MaxExperts))
        {
            list.Add(new(CoverageDimension.ModelFamily, $"fine-grained MoE ({moe.Experts} experts of width {moe.ExpertIntermediateSize})"));
        }

        if (m.Attention == AttentionKind.Mla) list.Add(new(CoverageDimension.ModelFamily, "MLA"));
        // The calibrated engine did not honour sliding windows, so a window the setup honours is outside coverage.
        if (m.SlidingWindow is not null) list.Add(new(CoverageDimension.ModelFamily, "sliding window"));
        if (m.Indexer is not null) list.Add(new(CoverageDimension.ModelFamily, "sparse attention"));
        if (m.Recurrent is not null) list.Add(new(CoverageDimension.ModelFamily, "recurrent layers"));

        if (!string.Equals(engine.Id, Engine, StringComparison.Ordinal)) list.Add(new(CoverageDimension.Engine, engine.Name));

        if (decodeBatch < MinDecodeBatch || decodeBatch > MaxDecodeBatch)
        {
            list.Add(new(CoverageDimension.BatchRegime, $"decode batch {Guard.Format(Math.Round(decodeBatch, 1))} (calibrated {Guard.Format(MinDecodeBatch)}–{Guard.Format(MaxDecodeBatch)})"));
        }

        var p = setup.Parallelism;
        if (p.Pipeline > 1) list.Add(new(CoverageDimension.Layout, $"pipeline parallel {p.Pipeline}"));
        if (p.Expert > 1) list.Add(new(CoverageDimension.Layout, $"expert parallel {p.Expert}"));
        if (p.AttentionData > 1) list.Add(new(CoverageDimension.Layout, $"attention data parallel {p.AttentionData}"));
        if (p.Tensor > MaxTensorParallel) list.Add(new(CoverageDimension.Layout, $"tensor parallel {p.Tensor}"));
        return list;
    }

    private static string GenerationLabel(Architecture a) => a switch
    {
        Architecture.Cdna3 => "CDNA 3",
        Architecture.Cdna4 => "CDNA 4",
        Architecture.Other => "non-GPU accelerator",
        _ => a.ToString(),
    };
}
