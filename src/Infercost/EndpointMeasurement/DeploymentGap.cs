using Infercost.Quantities;
using Infercost.Simulation;

namespace Infercost.EndpointMeasurement;

/// <summary>One quantity measured on the endpoint against Infercost's simulation of the same setup and load.</summary>
/// <param name="Name">What it is, for example "P50 time per output token".</param>
/// <param name="Measured">The endpoint's figure.</param>
/// <param name="Predicted">The simulation's figure.</param>
/// <param name="Cause">What a gap in it points to in the model (decode step, prefill and queueing, batching).</param>
public sealed record GapTerm(string Name, double Measured, double Predicted, string Cause)
{
    /// <summary>Measured ÷ predicted − 1 (0 when the prediction is 0).</summary>
    public double Gap => Predicted > 0 ? Measured / Predicted - 1 : 0;

    /// <summary>|ln(measured ÷ predicted)|: the size of the gap, the same for 2× too slow and 2× too fast.</summary>
    public double Size => Measured > 0 && Predicted > 0 ? Math.Abs(Math.Log(Measured / Predicted)) : 0;
}

/// <summary>Dollars per million tokens at the measured rate, and how far Infercost's prediction for the setup is from it.</summary>
/// <param name="FleetPerHour">The devices behind the endpoint, per hour.</param>
/// <param name="MeasuredBlended">Fleet cost over the level ÷ (prompt + output tokens served).</param>
/// <param name="MeasuredOutput">Fleet cost ÷ output tokens (all cost charged to output, the convention of cost's "cluster only decoding").</param>
/// <param name="MeasuredInput">Fleet cost ÷ prompt tokens (all cost charged to input).</param>
/// <param name="PredictedBlended">The same from the simulation's throughput.</param>
/// <param name="PredictedOutput">The same from the simulation's output throughput.</param>
/// <param name="Terms">Each compared quantity.</param>
/// <param name="Largest">The term with the largest gap, by |ln(measured ÷ predicted)|.</param>
public sealed record DeploymentGap(DollarsPerHour FleetPerHour, DollarsPerMillionTokens MeasuredBlended, DollarsPerMillionTokens MeasuredOutput,
    DollarsPerMillionTokens MeasuredInput, DollarsPerMillionTokens PredictedBlended, DollarsPerMillionTokens PredictedOutput, IReadOnlyList<GapTerm> Terms,
    GapTerm Largest)
{
    /// <summary>Compares a measured level with the simulation of the same setup, load and mean lengths.</summary>
    /// <param name="measured">The endpoint's level.</param>
    /// <param name="predicted">The simulation of that level.</param>
    /// <param name="fleetPerHour">Devices × $/device-hour.</param>
    /// <exception cref="InvalidInputException">The level served no tokens (nothing to price).</exception>
    public static DeploymentGap Of(MeasurementSummary measured, SimulationResult predicted, DollarsPerHour fleetPerHour)
    {
        ArgumentNullException.ThrowIfNull(measured);
        ArgumentNullException.ThrowIfNull(predicted);
        if (!(measured.OutputTokensPerSecond > 0) || !(measured.InputTokensPerSecond > 0))
        {
            throw new InvalidInputException("measure", $"level '{measured.Level}' served no tokens; there is nothing to price.");
        }

        DollarsPerMillionTokens Price(double tokensPerSecond) =>
            DollarsPerMillionTokens.FromDollarsPerMillionTokens(fleetPerHour.Value / 3600 / Math.Max(tokensPerSecond, 1e-12) * 1e6);
        var predictedOut = predicted.OutputThroughput.Value;
        var predictedIn = predicted.InputThroughput.Value;
        GapTerm[] terms =
        [
            new("P50 time per output token", measured.TimePerOutputToken.P50, predicted.TimePerOutputToken.P50.Value, "the decode step (weights and KV reads, communication, overhead)"),
            new("P50 time to first token", measured.TimeToFirstToken.P50, predicted.TimeToFirstToken.P50.Value, "prefill time and queueing before admission"),
            new("output throughput", measured.OutputTokensPerSecond, predictedOut, "batch size reached (admission, KV capacity, the load offered)"),
        ];
        var largest = terms.MaxBy(t => t.Size)!;
        return new DeploymentGap(fleetPerHour, Price(measured.OutputTokensPerSecond + measured.InputTokensPerSecond), Price(measured.OutputTokensPerSecond),
            Price(measured.InputTokensPerSecond), Price(predictedOut + predictedIn), Price(predictedOut), terms, largest);
    }
}
