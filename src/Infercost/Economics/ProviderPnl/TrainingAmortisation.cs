using Infercost.Quantities;

namespace Infercost.Economics.ProviderPnl;

/// <summary>A lab's training bill, written off straight-line over the tokens it serves.</summary>
/// <param name="TrainingCost">What training the served model cost (&gt;= 0).</param>
/// <param name="Years">Years over which it is amortised, in [0.1, 20].</param>
/// <param name="TokensPerDay">Tokens (input + output) the lab serves per day over those years; null takes the rate of the
/// P&amp;L period being costed.</param>
public sealed record TrainingAmortisation(Dollars TrainingCost, double Years, Tokens? TokensPerDay = null)
{
    /// <summary>Days per amortisation year.</summary>
    public const double DaysPerYear = 365;

    /// <summary>Training cost (&gt;= 0).</summary>
    public Dollars TrainingCost { get; } = Dollars.FromDollars(Guard.NonNegative(TrainingCost.Value, "trainingCost"));

    /// <summary>Amortisation period in years.</summary>
    public double Years { get; } = Guard.InRange(Years, 0.1, 20, "amortiseYears");
}
