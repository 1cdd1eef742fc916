namespace Infercost.Requests;

// The seven speculation fields appear on requests of different families (the serving request, workload/breakeven through
// SelfHostedRequest, margin, plan), which C#'s single inheritance cannot give one base. Each family declares them (the
// server binds flat JSON: specMethod, specLength, ...); this interface names the shape, and SpeculationFields holds the
// one implementation of "which was given first" and "as a serving request", so that every family checks and resolves
// them on ServingRequest's path (ValidateSpeculation, ResolveSpeculation), the same as cost's.

/// <summary>A request that carries the speculative-decoding fields (see <see cref="ServingRequest.SpecMethod"/> and its
/// neighbours for their meaning and ranges).</summary>
public interface ISpeculationFields
{
    /// <summary>mtp, draft, medusa or eagle; see <see cref="ServingRequest.SpecMethod"/>.</summary>
    string? SpecMethod { get; }

    /// <summary>Draft tokens per step (k); see <see cref="ServingRequest.SpecLength"/>.</summary>
    int? SpecLength { get; }

    /// <summary>Per-position acceptance rates; see <see cref="ServingRequest.SpecAcceptance"/>.</summary>
    IReadOnlyList<double>? SpecAcceptance { get; }

    /// <summary>Catalog id of the draft model; see <see cref="ServingRequest.DraftModel"/>.</summary>
    string? DraftModel { get; }

    /// <summary>A token tree, nodes per depth; see <see cref="ServingRequest.SpecTree"/>.</summary>
    IReadOnlyList<int>? SpecTree { get; }

    /// <summary>Per-depth top-k accuracies; see <see cref="ServingRequest.SpecTopk"/>.</summary>
    IReadOnlyList<IReadOnlyList<double>>? SpecTopk { get; }

    /// <summary>The best tree of this many nodes; see <see cref="ServingRequest.SpecTreeNodes"/>.</summary>
    int? SpecTreeNodes { get; }
}

/// <summary>The one implementation of what every <see cref="ISpeculationFields"/> request does with its fields.</summary>
public static class SpeculationFields
{
    /// <summary>The speculation field first given, in declaration order (specMethod, specLength, specAcceptance,
    /// draftModel, specTree, specTopk, specTreeNodes), or null when none is.</summary>
    public static string? FirstGiven(ISpeculationFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.SpecMethod is not null ? "specMethod" : fields.SpecLength is not null ? "specLength"
            : fields.SpecAcceptance is not null ? "specAcceptance" : fields.DraftModel is not null ? "draftModel"
            : fields.SpecTree is not null ? "specTree" : fields.SpecTopk is not null ? "specTopk"
            : fields.SpecTreeNodes is not null ? "specTreeNodes" : null;
    }

    /// <summary>The fields as a serving request carrying nothing else, to check with
    /// <see cref="ServingRequest.ValidateSpeculation"/> and resolve with <see cref="ServingRequest.ResolveSpeculation"/>.</summary>
    public static ServingRequest AsServingRequest(ISpeculationFields fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return new ServingRequest
        {
            SpecMethod = fields.SpecMethod, SpecLength = fields.SpecLength, SpecAcceptance = fields.SpecAcceptance, DraftModel = fields.DraftModel,
            SpecTree = fields.SpecTree, SpecTopk = fields.SpecTopk, SpecTreeNodes = fields.SpecTreeNodes,
        };
    }
}
