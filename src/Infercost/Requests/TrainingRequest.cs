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
public sealed record TrainingRequest : ITrainingRunFields
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
        TrainingRunFields.Check(this);
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
        var run = TrainingRunFields.Run(catalog, this);
        var implied = PublishedGpuHours is { } h ? TrainingCost.ImpliedMfu(run.Parameters, run.Tokens, h, run.Peak) : (double?)null;
        return new TrainingReport(TrainingCost.Estimate(run), PublishedGpuHours, implied);
    }
}

/// <summary>The training-run fields <c>training</c> and <c>pnl</c> both carry (as <see cref="ISpeculationFields"/> does
/// for speculation), so that one place checks them and builds the run.</summary>
public interface ITrainingRunFields
{
    /// <summary>Parameters each token multiplies through.</summary>
    double? TrainParams { get; }

    /// <summary>Training tokens.</summary>
    double? TrainTokens { get; }

    /// <summary>Accelerator id.</summary>
    string? TrainGpu { get; }

    /// <summary>Precision whose dense peak the MFU is measured against.</summary>
    Precision? TrainPrecision { get; }

    /// <summary>Model FLOPs utilisation.</summary>
    double? TrainMfu { get; }

    /// <summary>Cost of an accelerator-hour.</summary>
    double? TrainGpuPrice { get; }

    /// <summary>Accelerators in the run.</summary>
    double? TrainGpus { get; }
}

/// <summary>The training-run fields' ranges (on <see cref="PnlRequest"/>), defaults and the one place a
/// <see cref="TrainingRun"/> is built from them.</summary>
public static class TrainingRunFields
{
    /// <summary>The MFU a run reaches when none is given (Llama 3 405B: 38–43% of BF16 peak on H100).</summary>
    public const double DefaultMfu = 0.4;

    /// <summary>The accelerator a run trains on when none is given.</summary>
    public const string DefaultGpu = "nvidia-h100-sxm";

    /// <summary>Checks the numeric fields' ranges.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public static void Check(ITrainingRunFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        PnlRequest.TrainParamsField.Check(fields.TrainParams);
        PnlRequest.TrainTokensField.Check(fields.TrainTokens);
        PnlRequest.TrainMfuField.Check(fields.TrainMfu);
        PnlRequest.TrainGpuPriceField.Check(fields.TrainGpuPrice);
        PnlRequest.TrainGpusField.Check(fields.TrainGpus);
    }

    /// <summary>The run (parameters and tokens given): the accelerator's dense peak at the precision (default bf16),
    /// the MFU (default <see cref="DefaultMfu"/>), the price (default the catalog's rental price).</summary>
    /// <exception cref="InvalidInputException">An unknown accelerator; no peak at the precision; no price.</exception>
    public static TrainingRun Run(Catalog.Catalog catalog, ITrainingRunFields fields)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(fields);
        var accelerator = catalog.GetAccelerator(fields.TrainGpu ?? DefaultGpu);
        var p = fields.TrainPrecision ?? Precision.Bf16;
        var peak = accelerator.Peaks.For(p)
            ?? throw RequestFields.Error("trainPrecision", $"{{trainPrecision}} {p.Name()} has no dense peak on {accelerator.Id}; choose another precision.");
        var perHour = fields.TrainGpuPrice is { } x ? DollarsPerHour.FromDollarsPerHour(x) : accelerator.RentalPerHour
            ?? throw RequestFields.Error("trainGpuPrice", $"{{trainGpuPrice}} is required: the catalog has no rental price for {accelerator.Id}.");
        return new TrainingRun(fields.TrainParams!.Value, fields.TrainTokens!.Value, peak, fields.TrainMfu ?? DefaultMfu, perHour,
            fields.TrainGpus is { } g ? (long)Math.Ceiling(g) : null).Validated();
    }
}
