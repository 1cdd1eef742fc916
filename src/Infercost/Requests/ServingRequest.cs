using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Requests;

/// <summary>A deployment plus the request shape, batching and efficiency factors: everything a throughput estimate needs.</summary>
public record ServingRequest : DeploymentRequest
{
    private static readonly ServingConfig Defaults = new() { TotalDevices = 1 };
    private static readonly EfficiencyFactors Factors = EfficiencyFactors.Default;

    /// <summary>Accepted ranges of the request-shape fields.</summary>
    public static readonly WholeField InputField = new("input", 1, 10_000_000), OutputField = new("output", 1, 10_000_000),
        MaxBatchField = new("maxBatch", 1, 1_000_000), PrefillChunkField = new("prefillChunk", 1, 10_000_000);

    /// <summary>Accepted ranges of the efficiency factors.</summary>
    public static readonly NumberField MfuField = new("mfu", 0.001, 1), AttentionMfuField = new("attentionMfu", 0.001, 1),
        MbuField = new("mbu", 0.001, 1), StepOverheadMsField = new("stepOverheadMs", 0, 1000),
        CollectiveLatencyUsField = new("collectiveLatencyUs", 0, 10_000), LinkEfficiencyField = new("linkEfficiency", 0.001, 1),
        ActivationPassesField = new("activationPasses", 0, 1000), RooflineSoftnessField = new("rooflineSoftness", 0, 1);

    /// <summary>Prompt tokens per request.</summary>
    public int Input { get; init; } = Defaults.InputTokens;

    /// <summary>Generated tokens per request.</summary>
    public int Output { get; init; } = Defaults.OutputTokens;

    /// <summary>Cap on the automatic batch (vLLM's max_num_seqs); default the engine's.</summary>
    public int? MaxBatch { get; init; }

    /// <summary>Token budget of one prefill pass; default the engine's (8192 for every built-in profile).</summary>
    public int? PrefillChunk { get; init; }

    /// <summary>Fraction of dense peak that matrix multiplies achieve; default calibrated.</summary>
    public double? Mfu { get; init; }

    /// <summary>Fraction of dense peak attention products achieve when compute-bound.</summary>
    public double? AttentionMfu { get; init; }

    /// <summary>Fraction of peak memory bandwidth achieved streaming weights and KV cache.</summary>
    public double? Mbu { get; init; }

    /// <summary>Fixed time per step, milliseconds.</summary>
    public double? StepOverheadMs { get; init; }

    /// <summary>Fixed latency per collective, microseconds.</summary>
    public double? CollectiveLatencyUs { get; init; }

    /// <summary>Fraction of link peak that collectives achieve.</summary>
    public double? LinkEfficiency { get; init; }

    /// <summary>Element-wise passes over each token's activations per layer.</summary>
    public double? ActivationPasses { get; init; }

    /// <summary>Roofline knee softness: 0 is a hard max, 1 adds the terms.</summary>
    public double? RooflineSoftness { get; init; }

    /// <summary>Estimate a context (input + output) longer than the model's published maximum instead of refusing it.</summary>
    public bool AllowLongContext { get; init; }

    /// <summary>Refuses input + output beyond <paramref name="model"/>'s maximum context unless
    /// <see cref="AllowLongContext"/> says the caller means it: such a request cannot be served as the model ships.</summary>
    /// <exception cref="InvalidInputException">The context is too long and not allowed.</exception>
    public void EnsureContext(Models.ModelArchitecture model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var context = (long)Input + Output;
        if (context <= model.MaxContextTokens || AllowLongContext) return;
        throw RequestFields.Error("input",
            $"{{input}} {Input} + {{output}} {Output} = {context} tokens exceeds {model.Id}'s maximum context of {model.MaxContextTokens}; " +
            "shorten them, or add {allowLongContext} to estimate it anyway.");
    }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        InputField.Check(Input);
        OutputField.Check(Output);
        MaxBatchField.Check(MaxBatch);
        PrefillChunkField.Check(PrefillChunk);
        MfuField.Check(Mfu);
        AttentionMfuField.Check(AttentionMfu);
        MbuField.Check(Mbu);
        StepOverheadMsField.Check(StepOverheadMs);
        CollectiveLatencyUsField.Check(CollectiveLatencyUs);
        LinkEfficiencyField.Check(LinkEfficiency);
        ActivationPassesField.Check(ActivationPasses);
        RooflineSoftnessField.Check(RooflineSoftness);
    }

    /// <inheritdoc />
    public override ServingConfig ToConfig()
    {
        var config = base.ToConfig();
        var factors = config.Efficiency;
        return config with
        {
        InputTokens = Input,
        OutputTokens = Output,
        MaxBatch = MaxBatch ?? config.MaxBatch,
        PrefillChunkTokens = PrefillChunk ?? config.PrefillChunkTokens,
        Efficiency = factors with
        {
            MatmulMfu = Mfu ?? factors.MatmulMfu,
            AttentionMfu = AttentionMfu ?? factors.AttentionMfu,
            Mbu = Mbu ?? factors.Mbu,
            StepOverhead = StepOverheadMs is { } ms ? Seconds.FromMilliseconds(ms) : factors.StepOverhead,
            CollectiveLatency = CollectiveLatencyUs is { } us ? Seconds.FromMicroseconds(us) : factors.CollectiveLatency,
            LinkEfficiency = LinkEfficiency ?? factors.LinkEfficiency,
            ActivationPasses = ActivationPasses ?? factors.ActivationPasses,
            RooflineSoftness = RooflineSoftness ?? factors.RooflineSoftness,
        },
        };
    }
}
