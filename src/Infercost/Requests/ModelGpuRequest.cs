using Infercost.Catalog;
using Infercost.Hardware;
using Infercost.Models;

namespace Infercost.Requests;

/// <summary>A model and an accelerator, resolved from a catalog.</summary>
/// <param name="Catalog">The catalog the ids were looked up in.</param>
/// <param name="Model">The model (a catalog entry or the pasted Hugging Face config).</param>
/// <param name="Accelerator">The accelerator.</param>
public sealed record Subject(Catalog.Catalog Catalog, ModelArchitecture Model, Accelerator Accelerator);

/// <summary>The fields every question about serving a model on an accelerator shares: <c>model</c>,
/// <c>modelConfig</c>, <c>gpu</c>.</summary>
public abstract record ModelGpuRequest
{
    /// <summary>Catalog model id (<c>--model</c>); with <see cref="ModelConfig"/>, the id the pasted model gets.</summary>
    public string? Model { get; init; }

    /// <summary>The text of a Hugging Face <c>config.json</c> describing the model (the CLI reads it from the file
    /// <c>--model-config</c> names; the server takes it in the body and never reads a file).</summary>
    public string? ModelConfig { get; init; }

    /// <summary>The text of the <c>hf_quant_config.json</c> beside <see cref="ModelConfig"/> (NVIDIA ModelOpt
    /// checkpoints keep their quantisation there); null when there is none.</summary>
    public string? ModelQuantConfig { get; init; }

    /// <summary>Catalog accelerator id (<c>--gpu</c>).</summary>
    public string? Gpu { get; init; }

    /// <summary>Checks every field's range and the combinations of fields; the first problem is thrown.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public virtual void Validate() => CheckSubject();

    private void CheckSubject()
    {
        if (string.IsNullOrWhiteSpace(Gpu)) throw new InvalidInputException("gpu", "gpu is required: give an accelerator id (see 'infercost catalog list gpus').");
        if (ModelConfig is null && string.IsNullOrWhiteSpace(Model))
        {
            throw RequestFields.Error("model", "model is required: give {model} ID (see 'infercost catalog list models') or {modelConfig} FILE.");
        }
    }

    /// <summary>Looks the model and accelerator up in <paramref name="catalog"/>, or parses <see cref="ModelConfig"/>.</summary>
    /// <param name="catalog">The catalog (the embedded one, possibly with a user's entries over it).</param>
    /// <param name="modelConfigSource">How problems in <see cref="ModelConfig"/> name its source (the CLI's file path); default <c>modelConfig</c>.</param>
    /// <exception cref="InvalidInputException">Unknown id (with the closest ids), or an invalid config.</exception>
    public Subject Resolve(Catalog.Catalog catalog, string? modelConfigSource = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        CheckSubject();
        var accelerator = catalog.GetAccelerator(Gpu!);
        var model = ModelConfig is { } text
            ? HuggingFaceConfig.Parse(text, Model ?? "custom", modelConfigSource ?? "modelConfig", ModelQuantConfig,
                ModelQuantConfig is null ? null : modelConfigSource is null ? "modelQuantConfig" : QuantSource(modelConfigSource))
            : catalog.GetModel(Model!);
        return new Subject(catalog, model, accelerator);
    }

    private static string QuantSource(string configSource)
    {
        var folder = Path.GetDirectoryName(configSource);
        return string.IsNullOrEmpty(folder) ? "hf_quant_config.json" : Path.Combine(folder, "hf_quant_config.json");
    }
}
