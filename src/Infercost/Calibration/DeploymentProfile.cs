using System.Text.Json;
using Infercost.Quantities;
using Infercost.Requests;
using Infercost.Serialization;
using Infercost.Serving;

namespace Infercost.Calibration;

/// <summary>An engine profile fitted to one deployment's own measurements (<c>infercost calibrate deployment</c>): the
/// built-in engine profile it started from, with the two runtime values a load test can tell apart, the host time per
/// step and the share of the kernel curves' streaming bandwidth the deployment reaches. <c>cost</c>, <c>simulate</c>,
/// <c>plan</c> and the other serving commands take it with <c>--engine-profile FILE</c>; explicit options still win.</summary>
/// <param name="Format">Always <see cref="FormatName"/>; a file with another format is refused.</param>
/// <param name="Engine">Id of the built-in profile the fit started from (<c>vllm</c>, <c>sglang</c>, <c>trtllm-1</c>, …): its
/// scheduler defaults (max batch, token budget, KV memory) stay in force.</param>
/// <param name="StepOverheadMs">Fitted host time per step that adds to the kernels, milliseconds (the
/// <see cref="EfficiencyFactors.StepOverhead"/> factor; the profile's effective value, after any overlap scheduling).</param>
/// <param name="Mbu">Fitted share of the kernel curves' streaming bandwidth reached for weights and KV cache (the
/// <see cref="EfficiencyFactors.Mbu"/> factor).</param>
/// <param name="Model">Model the measurements ran (catalog id or config name).</param>
/// <param name="Accelerator">Accelerator id the measurements ran on.</param>
/// <param name="Gpus">Devices behind the endpoint.</param>
/// <param name="Layout">Layout per replica, as reports print it (TP4, TP8 EP8, …).</param>
/// <param name="Levels">Load levels the fit used.</param>
/// <param name="Source">The measurement files, in words.</param>
public sealed record DeploymentProfile(string Format, string Engine, double StepOverheadMs, double Mbu, string Model, string Accelerator,
    int Gpus, string Layout, int Levels, string Source)
{
    /// <summary>The format tag every profile file carries.</summary>
    public const string FormatName = "infercost-engine-profile/1";

    /// <summary>Held-out error of the fit (leave one load level out), when there were enough levels to hold one out.</summary>
    public DeploymentFitError? HeldOut { get; init; }

    /// <summary>Reads a profile from its JSON text; <paramref name="field"/> names the option or request field in errors.</summary>
    /// <exception cref="InvalidInputException">Not JSON, not a profile, or a value outside its range.</exception>
    public static DeploymentProfile Parse(string json, string field)
    {
        ArgumentNullException.ThrowIfNull(json);
        DeploymentProfile? profile;
        try
        {
            profile = JsonSerializer.Deserialize<DeploymentProfile>(json, InfercostJson.Options);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}" : "";
            throw new InvalidInputException(field, $"{field}: not an engine profile{where} ({e.Message.Split('.')[0]}); write one with 'infercost calibrate deployment --profile-out FILE'.");
        }

        if (profile is null || profile.Format != FormatName)
        {
            throw new InvalidInputException(field, $"{field}: not an engine profile (format must be '{FormatName}'; was '{profile?.Format}'); write one with 'infercost calibrate deployment --profile-out FILE'.");
        }

        return profile.Validated(field);
    }

    /// <summary>Checks each value against the range its request field accepts.</summary>
    /// <exception cref="InvalidInputException">Another format tag, a value out of range, or an unknown base engine.</exception>
    public DeploymentProfile Validated(string field)
    {
        // A request body carries the profile as an object, not through Parse: check its format tag here too.
        if (Format != FormatName)
        {
            throw new InvalidInputException(field, $"{field}: not an engine profile (format must be '{FormatName}'; was '{Format}'); write one with 'infercost calibrate deployment --profile-out FILE'.");
        }

        ServingSoftware.Named(Engine, $"{field} engine");
        if (!(StepOverheadMs >= ServingRequest.StepOverheadMsField.Low && StepOverheadMs <= ServingRequest.StepOverheadMsField.High))
        {
            throw new InvalidInputException(field, $"{field}: stepOverheadMs must be in [{Guard.Format(ServingRequest.StepOverheadMsField.Low)}, {Guard.Format(ServingRequest.StepOverheadMsField.High)}]; was {Guard.Format(StepOverheadMs)}.");
        }

        if (!(Mbu >= ServingRequest.MbuField.Low && Mbu <= ServingRequest.MbuField.High))
        {
            throw new InvalidInputException(field, $"{field}: mbu must be in [{Guard.Format(ServingRequest.MbuField.Low)}, {Guard.Format(ServingRequest.MbuField.High)}]; was {Guard.Format(Mbu)}.");
        }

        return this;
    }

    /// <summary>The built-in engine profile the fit started from, renamed to say it carries a fit.</summary>
    public ServingSoftware BaseEngine() => ServingSoftware.Named(Engine, "engineProfile") is var e
        ? e with { Name = $"{e.Name}, fitted to {Source}", Source = $"{e.Source}; step overhead and MBU fitted by calibrate deployment on {Levels} load levels of {Model} on {Gpus} × {Accelerator} ({Layout})" }
        : throw new InvalidOperationException();

    /// <summary><paramref name="factors"/> with the fitted values in place.</summary>
    public EfficiencyFactors Over(EfficiencyFactors factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        return factors with { StepOverhead = Seconds.FromMilliseconds(StepOverheadMs), Mbu = Mbu };
    }
}

/// <summary>Error of a deployment fit on mean time per output token.</summary>
/// <param name="MedianAbsPctError">Median |predicted − measured| ÷ measured, percent.</param>
/// <param name="P90AbsPctError">90th percentile of the same, percent.</param>
/// <param name="Split">What was held out.</param>
public sealed record DeploymentFitError(double MedianAbsPctError, double P90AbsPctError, string Split);
