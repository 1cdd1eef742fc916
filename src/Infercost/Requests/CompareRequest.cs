using Infercost.Costing;

namespace Infercost.Requests;

/// <summary>The <c>compare</c> question: one model on several accelerators with the same flags and device count,
/// regime by regime, and whether a claimed ratio ("an H100 is worth four A100s") or a per-dollar trend holds.</summary>
public sealed record CompareRequest : ServingRequest
{
    /// <summary>Accepted range of <see cref="ClaimRatio"/>.</summary>
    public static readonly NumberField ClaimRatioField = new("claimRatio", 0.001, 1000);

    /// <summary>Accelerator ids to compare with the baseline <see cref="ModelGpuRequest.Gpu"/>, in order (read as
    /// generations for the per-dollar trend). Required: 1 to 15.</summary>
    public IReadOnlyList<string>? Versus { get; init; }

    /// <summary>A claimed ratio of the first <see cref="Versus"/> accelerator to the baseline, e.g. 4.</summary>
    public double? ClaimRatio { get; init; }

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Speculates) throw RequestFields.Error(SpecMethod is not null ? "specMethod" : "draftModel", "{specMethod} and {draftModel} do not apply to compare, which compares plain decoding; ask cost with them on each accelerator.");
        if (Versus is not { Count: > 0 } versus)
        {
            throw RequestFields.Error("versus", "{versus} is required: give one or more accelerator ids to compare with the baseline {gpu} (see 'infercost catalog list gpus').");
        }

        if (versus.Count > AcceleratorComparison.MaxAccelerators - 1)
        {
            throw RequestFields.Error("versus", $"{{versus}} takes 1 to {AcceleratorComparison.MaxAccelerators - 1} accelerators; was {versus.Count}.");
        }

        if (versus.Any(string.IsNullOrWhiteSpace)) throw RequestFields.Error("versus", "{versus} has an empty item; give accelerator ids separated by commas.");
        var repeated = versus.Prepend(Gpu).GroupBy(id => id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw RequestFields.Error("versus", $"{{versus}} names {repeated.Key} twice (or repeats the baseline {{gpu}}); give each accelerator once.");
        }

        ClaimRatioField.Check(ClaimRatio);
    }

    /// <summary>Validates, resolves every accelerator in the subject's catalog, and compares.</summary>
    /// <exception cref="InvalidInputException">A field out of range, an unknown id, or a baseline the model does not fit.</exception>
    public AcceleratorComparisonReport Answer(Subject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        Validate();
        EnsureContext(subject.Model);
        var accelerators = new List<Hardware.Accelerator> { subject.Accelerator };
        foreach (var id in Versus!)
        {
            try
            {
                accelerators.Add(subject.Catalog.GetAccelerator(id));
            }
            catch (InvalidInputException e)
            {
                throw RequestFields.Error("versus", "{versus}: " + e.Message);
            }
        }

        return AcceleratorComparison.Compare(subject.Model, accelerators, ToConfig().Validated(), ClaimRatio);
    }
}
