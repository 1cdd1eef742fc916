using Infercost.Quantities;

namespace Infercost.Datacenter;

/// <summary>A pre-training run described by its size: parameters, tokens, the accelerator's peak, the MFU reached and
/// the price of an accelerator-hour.</summary>
/// <param name="Parameters">Parameters each token multiplies through (for a MoE, the activated ones), in [1e6, 1e14].</param>
/// <param name="Tokens">Training tokens, in [1e6, 1e16].</param>
/// <param name="Peak">Dense peak of one accelerator at the training precision.</param>
/// <param name="Mfu">Model FLOPs utilisation: useful FLOP/s ÷ peak, in (0, 1].</param>
/// <param name="PricePerAcceleratorHour">What an accelerator-hour costs (rental, or owned all-in).</param>
/// <param name="Accelerators">Accelerators in the run, for the wall-clock time; null leaves it out.</param>
public sealed record TrainingRun(double Parameters, double Tokens, FlopsPerSecond Peak, double Mfu, DollarsPerHour PricePerAcceleratorHour, long? Accelerators = null)
{
    /// <summary>FLOPs per parameter per training token: 2 forward + 4 backward (Kaplan et al. 2020, "Scaling Laws for
    /// Neural Language Models", C ≈ 6ND; attention's context term left out).</summary>
    public const double FlopsPerParameterToken = 6;

    /// <summary>Checks the fields' ranges; messages name the CLI flags.</summary>
    public TrainingRun Validated()
    {
        Guard.InRange(Parameters, 1e6, 1e14, "train-params");
        Guard.InRange(Tokens, 1e6, 1e16, "train-tokens");
        Guard.Positive(Peak.Value, "train-peak");
        Guard.InRange(Mfu, 1e-4, 1, "train-mfu");
        Guard.NonNegative(PricePerAcceleratorHour.Value, "train-gpu-price");
        if (Accelerators is { } n && n < 1) throw new InvalidInputException("train-gpus", $"train-gpus must be >= 1; was {n}.");
        return this;
    }
}

/// <summary>What a training run costs.</summary>
/// <param name="Run">The run.</param>
/// <param name="Flops">6 · N · D.</param>
/// <param name="AcceleratorHours">FLOPs ÷ (peak × MFU) ÷ 3,600.</param>
/// <param name="Cost">Accelerator-hours × price.</param>
/// <param name="WallClock">Accelerator-hours ÷ accelerators; null without a count.</param>
public sealed record TrainingCost(TrainingRun Run, Flops Flops, double AcceleratorHours, Dollars Cost, Seconds? WallClock)
{
    /// <summary>Estimates the run's compute, accelerator-hours and cost.</summary>
    /// <remarks>C = 6·N·D FLOPs; accelerator-hours = C ÷ (peak × MFU) ÷ 3,600 s; cost = hours × $/h. See
    /// docs/economics.md#training-cost.</remarks>
    public static TrainingCost Estimate(TrainingRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        run.Validated();
        var flops = Flops.FromFlops(TrainingRun.FlopsPerParameterToken * run.Parameters * run.Tokens);
        var seconds = flops / (run.Peak * run.Mfu);
        var hours = seconds.Hours;
        Seconds? wall = run.Accelerators is { } n ? seconds / n : null;
        return new TrainingCost(run, flops, hours, Dollars.FromDollars(hours * run.PricePerAcceleratorHour.Value), wall);
    }

    /// <summary>The MFU a published run implies: 6·N·D ÷ (accelerator-hours × 3,600 × peak).</summary>
    public static double ImpliedMfu(double parameters, double tokens, double acceleratorHours, FlopsPerSecond peak)
    {
        Guard.Positive(acceleratorHours, "gpu-hours");
        Guard.Positive(peak.Value, "peak");
        return TrainingRun.FlopsPerParameterToken * parameters * tokens / (acceleratorHours * 3600 * peak.Value);
    }
}
