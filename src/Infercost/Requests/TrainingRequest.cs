using Infercost.Datacenter;
using Infercost.Quantities;

namespace Infercost.Requests;

/// <summary>What <c>infercost training --json</c> prints and <c>POST /api/training</c> returns.</summary>
/// <param name="Estimate">The run's FLOPs, accelerator-hours and cost.</param>
/// <param name="PublishedGpuHours">The accelerator-hours a source reports, when given.</param>
/// <param name="ImpliedMfu">The MFU those hours imply at 6·N·D.</param>
public sealed record TrainingReport(TrainingCost Estimate, double? PublishedGpuHours, double? ImpliedMfu);

/// <summary>The <c>training</c> question: compute and cost of a pre-training run from its parameters and tokens
/// (6·N·D at a peak × MFU), and, with <see cref="PublishedGpuHours"/>, the MFU a published figure implies. The run's
/// fields are <c>pnl</c>'s (<see cref="PnlRequest.TrainParams"/>, …), with the same ranges and the same defaults.</summary>
public sealed record TrainingRequest
{
    /// <summary>Accepted range of <see cref="PublishedGpuHours"/>.</summary>
    public static readonly NumberField PublishedGpuHoursField = new("publishedGpuHours", 1, 1e12);

    /// <summary>Parameters each token multiplies through (a MoE's activated ones); required.</summary>
    public double? TrainParams { get; init; }

    /// <summary>Training tokens; required.</summary>
    public double? TrainTokens { get; init; }

    /// <summary>Accelerator id; default nvidia-h100-sxm.</summary>
    public string? TrainGpu { get; init; }

    /// <summary>Precision whose dense peak the MFU is measured against; default bf16.</summary>
    public Precision? TrainPrecision { get; init; }

    /// <summary>Model FLOPs utilisation; default <see cref="TrainingRunFields.DefaultMfu"/>.</summary>
    public double? TrainMfu { get; init; }

    /// <summary>Cost of an accelerator-hour; default the catalog's rental price.</summary>
    public double? TrainGpuPrice { get; init; }

    /// <summary>Accelerators in the run, for the wall-clock time.</summary>
    public double? TrainGpus { get; init; }

    /// <summary>Accelerator-hours a source reports for the run: the answer gives the MFU they imply.</summary>
    public double? PublishedGpuHours { get; init; }

    /// <summary>Checks every field's range and that the run is described; the first problem is thrown.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public void Validate()
    {
        TrainingRunFields.Check(TrainParams, TrainTokens, TrainMfu, TrainGpuPrice, TrainGpus);
        PublishedGpuHoursField.Check(PublishedGpuHours);
        if (TrainParams is null) throw RequestFields.Error("trainParams", "{trainParams} is required to estimate a training run (with {trainTokens}).");
        if (TrainTokens is null) throw RequestFields.Error("trainTokens", "{trainTokens} is required to estimate a training run (with {trainParams}).");
    }

    /// <summary>Validates and answers; the accelerator is looked up in <paramref name="catalog"/>.</summary>
    /// <exception cref="InvalidInputException">A field out of range, an unknown accelerator, no peak at the precision, no price.</exception>
    public TrainingReport Answer(Catalog.Catalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Validate();
        var run = TrainingRunFields.Run(catalog, TrainParams!.Value, TrainTokens!.Value, TrainGpu, TrainPrecision, TrainMfu, TrainGpuPrice, TrainGpus);
        var implied = PublishedGpuHours is { } h ? TrainingCost.ImpliedMfu(run.Parameters, run.Tokens, h, run.Peak) : (double?)null;
        return new TrainingReport(TrainingCost.Estimate(run), PublishedGpuHours, implied);
    }
}

/// <summary>The training-run fields <c>training</c> and <c>pnl</c> share: their ranges (on <see cref="PnlRequest"/>),
/// defaults and the one place a <see cref="TrainingRun"/> is built from them.</summary>
public static class TrainingRunFields
{
    /// <summary>The MFU a run reaches when none is given (Llama 3 405B: 38–43% of BF16 peak on H100).</summary>
    public const double DefaultMfu = 0.4;

    /// <summary>The accelerator a run trains on when none is given.</summary>
    public const string DefaultGpu = "nvidia-h100-sxm";

    /// <summary>Checks the numeric fields' ranges.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public static void Check(double? parameters, double? tokens, double? mfu, double? price, double? accelerators)
    {
        PnlRequest.TrainParamsField.Check(parameters);
        PnlRequest.TrainTokensField.Check(tokens);
        PnlRequest.TrainMfuField.Check(mfu);
        PnlRequest.TrainGpuPriceField.Check(price);
        PnlRequest.TrainGpusField.Check(accelerators);
    }

    /// <summary>The run: the accelerator's dense peak at the precision (default bf16), the MFU (default
    /// <see cref="DefaultMfu"/>), the price (default the catalog's rental price).</summary>
    /// <exception cref="InvalidInputException">An unknown accelerator; no peak at the precision; no price.</exception>
    public static TrainingRun Run(Catalog.Catalog catalog, double parameters, double tokens, string? gpu, Precision? precision, double? mfu,
        double? price, double? accelerators)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var accelerator = catalog.GetAccelerator(gpu ?? DefaultGpu);
        var p = precision ?? Precision.Bf16;
        var peak = accelerator.Peaks.For(p)
            ?? throw RequestFields.Error("trainPrecision", $"{{trainPrecision}} {p.Name()} has no dense peak on {accelerator.Id}; choose another precision.");
        var perHour = price is { } x ? DollarsPerHour.FromDollarsPerHour(x) : accelerator.RentalPerHour
            ?? throw RequestFields.Error("trainGpuPrice", $"{{trainGpuPrice}} is required: the catalog has no rental price for {accelerator.Id}.");
        return new TrainingRun(parameters, tokens, peak, mfu ?? DefaultMfu, perHour, accelerators is { } g ? (long)Math.Ceiling(g) : null).Validated();
    }
}
