using Infercost.Hardware;
using Infercost.Models;

namespace Infercost.Requests;

/// <summary>What <c>catalog list</c> answers: the entries of the kinds asked for (null for the other kind).</summary>
/// <param name="Models">Models, in catalog order.</param>
/// <param name="Accelerators">Accelerators, in catalog order.</param>
public sealed record CatalogListReport(IReadOnlyList<ModelArchitecture>? Models, IReadOnlyList<Accelerator>? Accelerators);

/// <summary>What <c>catalog show</c> answers for a model: its entry and its computed parameter breakdown.</summary>
/// <param name="Model">The catalog entry.</param>
/// <param name="Parameters">Parameter counts computed from the shape.</param>
public sealed record ModelDetails(ModelArchitecture Model, ParameterBreakdown Parameters);

/// <summary>The <c>catalog list</c> question: which models and accelerators the estimates know.</summary>
/// <param name="Kind"><c>models</c>, <c>gpus</c>, or null for both.</param>
public sealed record CatalogListRequest(string? Kind = null)
{
    /// <summary>Checks <see cref="Kind"/>.</summary>
    public void Validate()
    {
        if (Kind is not (null or "models" or "gpus")) throw new InvalidInputException("kind", $"kind must be models or gpus; was '{Kind}'.");
    }

    /// <summary>Validates and lists.</summary>
    public CatalogListReport Answer(Catalog.Catalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Validate();
        return new CatalogListReport(Kind is null or "models" ? catalog.Models : null, Kind is null or "gpus" ? catalog.Accelerators : null);
    }
}

/// <summary>The <c>catalog show</c> question: every field of one model (with its parameter breakdown) or accelerator.</summary>
/// <param name="Id">A model or accelerator id.</param>
public sealed record CatalogShowRequest(string Id)
{
    /// <summary>The model's details, or the accelerator: whichever kind has the id.</summary>
    /// <exception cref="InvalidInputException">Neither kind has it; the message suggests the closest ids.</exception>
    public object Answer(Catalog.Catalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (string.IsNullOrWhiteSpace(Id)) throw new InvalidInputException("id", "id is required: a model or accelerator id.");
        if (catalog.TryGetModel(Id, out var model)) return new ModelDetails(model, ParameterCounter.Count(model));
        if (catalog.TryGetAccelerator(Id, out var accelerator)) return accelerator;
        throw Unknown(catalog, Id);
    }

    // Neither kind has the id: report the kind whose ids are closest (the catalog's own message, with suggestions).
    private static InvalidInputException Unknown(Catalog.Catalog catalog, string key)
    {
        var asModel = Failure(() => catalog.GetModel(key));
        var asAccelerator = Failure(() => catalog.GetAccelerator(key));
        var best = new[] { asModel, asAccelerator }.FirstOrDefault(e => e.Message.Contains("did you mean", StringComparison.Ordinal));
        return best ?? new InvalidInputException("id", $"unknown id '{key}': no model or accelerator has it; see 'infercost catalog list'.");
    }

    private static InvalidInputException Failure(Action lookup)
    {
        try
        {
            lookup();
        }
        catch (InvalidInputException e)
        {
            return e;
        }

        throw new InvalidOperationException("lookup was expected to fail.");
    }
}
