using Infercost.Hardware;
using Infercost.Models;

namespace Infercost.Cli.Reports;

/// <summary>What <c>infercost catalog list</c> prints: the entries of the kinds asked for (null for the other kind).</summary>
/// <param name="Models">Models, in catalog order.</param>
/// <param name="Accelerators">Accelerators, in catalog order.</param>
public sealed record CatalogListReport(IReadOnlyList<ModelArchitecture>? Models, IReadOnlyList<Accelerator>? Accelerators);

/// <summary>What <c>infercost catalog show</c> prints for a model: its entry and its computed parameter breakdown.</summary>
/// <param name="Model">The catalog entry.</param>
/// <param name="Parameters">Parameter counts computed from the shape.</param>
public sealed record ModelDetails(ModelArchitecture Model, ParameterBreakdown Parameters);
