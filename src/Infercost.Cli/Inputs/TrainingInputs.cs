using System.CommandLine;
using Infercost.Datacenter;
using Infercost.Quantities;

namespace Infercost.Cli.Inputs;

/// <summary>The options that describe a training run (<c>--train-params</c>, <c>--train-tokens</c>...), shared by
/// <c>infercost training</c> and <c>infercost pnl</c>.</summary>
internal sealed class TrainingInputs
{
    /// <summary>Activated parameters.</summary>
    public Option<double?> Parameters { get; } = CliOptions.OptionalDouble("--train-params", "Parameters each token multiplies through (a MoE's activated ones), e.g. 37e9.", "N", CliOptions.InRange(1e6, 1e14));

    /// <summary>Training tokens.</summary>
    public Option<double?> Tokens { get; } = CliOptions.OptionalDouble("--train-tokens", "Training tokens, e.g. 14.8e12.", "TOKENS", CliOptions.InRange(1e6, 1e16));

    /// <summary>Training accelerator.</summary>
    public Option<string?> Gpu { get; } = new("--train-gpu") { Description = "Accelerator the run trains on (its dense peak at --train-precision). Default: nvidia-h100-sxm.", HelpName = "ID" };

    /// <summary>Training precision.</summary>
    public Option<Precision?> Precision { get; } = CliOptions.Precision("--train-precision", "Precision whose dense peak MFU is measured against. Default: bf16.");

    /// <summary>MFU.</summary>
    public Option<double> Mfu { get; } = CliOptions.Double("--train-mfu", "Model FLOPs utilisation reached (Llama 3 405B: 38-43% of BF16 peak on H100).", "F", CliOptions.InRange(1e-4, 1), 0.4);

    /// <summary>Price of an accelerator-hour.</summary>
    public Option<double?> GpuPrice { get; } = CliOptions.OptionalDouble("--train-gpu-price", "Cost of an accelerator-hour. Default: the catalog's rental price.", "$/GPU-h", CliOptions.InRange(0, 10_000));

    /// <summary>Accelerators in the run.</summary>
    public Option<double?> Gpus { get; } = CliOptions.OptionalDouble("--train-gpus", "Accelerators in the run, for the wall-clock time.", "N", CliOptions.InRange(1, 1e8));

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

    /// <summary>The run the options describe.</summary>
    public TrainingRun Run(ParseResult parse, Catalog.Catalog catalog)
    {
        var n = parse.GetValue(Parameters) ?? throw new InvalidInputException("train-params", "--train-params is required to estimate a training run (with --train-tokens).");
        var d = parse.GetValue(Tokens) ?? throw new InvalidInputException("train-tokens", "--train-tokens is required to estimate a training run (with --train-params).");
        var accelerator = catalog.GetAccelerator(parse.GetValue(Gpu) ?? "nvidia-h100-sxm");
        var precision = parse.GetValue(Precision) ?? Infercost.Precision.Bf16;
        var peak = accelerator.Peaks.For(precision)
            ?? throw new InvalidInputException("train-precision", $"--train-precision {precision} has no dense peak on {accelerator.Id}; choose another precision.");
        var price = parse.GetValue(GpuPrice) is { } p ? DollarsPerHour.FromDollarsPerHour(p) : accelerator.RentalPerHour
            ?? throw new InvalidInputException("train-gpu-price", $"--train-gpu-price is required: the catalog has no rental price for {accelerator.Id}.");
        return new TrainingRun(n, d, peak, parse.GetValue(Mfu), price, parse.GetValue(Gpus) is { } g ? (long)Math.Ceiling(g) : null).Validated();
    }
}
