using System.CommandLine;
using Infercost.Requests;

namespace Infercost.Cli.Inputs;

/// <summary>The options that describe a training run (<c>--train-params</c>, <c>--train-tokens</c>...), shared by
/// <c>infercost training</c> and <c>infercost pnl</c>.</summary>
internal sealed class TrainingInputs
{
    /// <summary>Activated parameters.</summary>
    public Option<double?> Parameters { get; } = CliOptions.OptionalDouble(PnlRequest.TrainParamsField, "Parameters each token multiplies through (a MoE's activated ones), e.g. 37e9.", "N");

    /// <summary>Training tokens.</summary>
    public Option<double?> Tokens { get; } = CliOptions.OptionalDouble(PnlRequest.TrainTokensField, "Training tokens, e.g. 14.8e12.", "TOKENS");

    /// <summary>Training accelerator.</summary>
    public Option<string?> Gpu { get; } = new("--train-gpu") { Description = "Accelerator the run trains on (its dense peak at --train-precision). Default: " + TrainingRunFields.DefaultGpu + ".", HelpName = "ID" };

    /// <summary>Training precision.</summary>
    public Option<Precision?> Precision { get; } = CliOptions.Precision("--train-precision", "Precision whose dense peak MFU is measured against. Default: bf16.");

    /// <summary>MFU.</summary>
    public Option<double> Mfu { get; } = CliOptions.Double(PnlRequest.TrainMfuField, "Model FLOPs utilisation reached (Llama 3 405B: 38-43% of BF16 peak on H100).", "F", TrainingRunFields.DefaultMfu);

    /// <summary>Price of an accelerator-hour.</summary>
    public Option<double?> GpuPrice { get; } = CliOptions.OptionalDouble(PnlRequest.TrainGpuPriceField, "Cost of an accelerator-hour. Default: the catalog's rental price.", "$/GPU-h");

    /// <summary>Accelerators in the run.</summary>
    public Option<double?> Gpus { get; } = CliOptions.OptionalDouble(PnlRequest.TrainGpusField, "Accelerators in the run, for the wall-clock time.", "N");

    /// <summary>Every option, in help order.</summary>
    public IEnumerable<Option> All => [Parameters, Tokens, Gpu, Precision, Mfu, GpuPrice, Gpus];

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in All) command.Options.Add(option);
    }

    /// <summary>True when the run is described (--train-params given).</summary>
    public bool Given(ParseResult parse) => parse.GetValue(Parameters) is not null || parse.GetValue(Tokens) is not null;

    /// <summary>The first option given explicitly, if any.</summary>
    public Option? FirstGiven(ParseResult parse) => All.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });

    /// <summary>The <c>training</c> request the options describe (the MFU only when typed: the request's default is the same).</summary>
    public TrainingRequest Request(ParseResult parse) => new()
    {
        TrainParams = parse.GetValue(Parameters),
        TrainTokens = parse.GetValue(Tokens),
        TrainGpu = parse.GetValue(Gpu),
        TrainPrecision = parse.GetValue(Precision),
        TrainMfu = parse.GetResult(Mfu) is { Implicit: false } ? parse.GetValue(Mfu) : null,
        TrainGpuPrice = parse.GetValue(GpuPrice),
        TrainGpus = parse.GetValue(Gpus),
    };
}
