namespace Infercost.Economics.Margins;

/// <summary>Gross margins for one sensitivity case.</summary>
/// <param name="CostFactor">How far off the cost estimate is assumed to be (0.33 = the true cost is a third of the estimate).</param>
/// <param name="Utilisation">Fraction of paid hours doing useful work; the cost estimate is divided by it (relative to the estimate's own).</param>
/// <param name="Input">Input margin in this case.</param>
/// <param name="Output">Output margin in this case.</param>
/// <param name="Blended">Workload margin in this case; null when no workload was given.</param>
public sealed record MarginCell(double CostFactor, double Utilisation, double Input, double Output, double? Blended);
