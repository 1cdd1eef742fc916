using System.CommandLine;
using Infercost.Requests;

namespace Infercost.Cli.Inputs;

/// <summary>The options that name what is served on what: <c>--model</c>, <c>--model-config</c>, <c>--gpu</c>, <c>--catalog</c>.</summary>
internal sealed class SubjectInputs
{
    /// <summary>Catalog model id.</summary>
    public Option<string?> Model { get; } = new("--model")
    {
        Description = "Model id from the catalog (see 'infercost catalog list models'). May be omitted with --model-config.",
        HelpName = "ID",
    };

    /// <summary>A Hugging Face config.json.</summary>
    public Option<string?> ModelConfig { get; } = new("--model-config")
    {
        Description = "A Hugging Face config.json describing the model, or the model folder holding it (hf_quant_config.json " +
                      "beside it is read too). Its id is --model if given, else the folder name " +
                      "(models/Qwen3-8B/config.json → Qwen3-8B), else 'custom'.",
        HelpName = "config.json|folder",
    };

    /// <summary>Catalog accelerator id.</summary>
    public Option<string> Gpu { get; } = new("--gpu")
    {
        Description = "Accelerator id from the catalog (see 'infercost catalog list gpus').",
        HelpName = "ID",
        Required = true,
    };

    /// <summary>The user catalog.</summary>
    public CatalogInputs Catalog { get; } = new();

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(ModelConfig);
        command.Options.Add(Gpu);
        Catalog.AddTo(command);
    }

    /// <summary><paramref name="request"/> with the subject fields the options give; <c>--model-config</c> is read
    /// here (the request carries the file's text, never a path).</summary>
    /// <exception cref="InvalidInputException">The config file cannot be read.</exception>
    public T Fill<T>(T request, ParseResult parse, CliContext context) where T : ModelGpuRequest
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var id = parse.GetValue(Model);
        var configPath = parse.GetValue(ModelConfig);
        var (config, quant, read) = configPath is null ? (null, null, null) : context.ReadModelConfig(configPath, "--model-config");
        return (T)(request with
        {
            Model = read is null ? id : id ?? IdFromPath(read),
            ModelConfig = config,
            ModelQuantConfig = quant,
            Gpu = parse.GetValue(Gpu),
        });
    }

    /// <summary>The user's catalog (the embedded one, with <c>--catalog</c> over it) and the file the model config
    /// came from (how its problems name their source).</summary>
    public (Catalog.Catalog Catalog, string? ConfigSource) Sources(ParseResult parse, CliContext context) =>
        (Catalog.Load(parse, context), parse.GetValue(ModelConfig) is { } path ? context.ModelConfigPath(path) : null);

    /// <summary>Looks the model and accelerator up.</summary>
    /// <exception cref="InvalidInputException">Unknown id (with the closest ids), unreadable or invalid file, or no model given.</exception>
    public Subject Resolve(ParseResult parse, CliContext context)
    {
        var catalog = Catalog.Load(parse, context);
        var path = parse.GetValue(ModelConfig);
        return Fill(new SubjectOnly(), parse, context).Resolve(catalog, path is null ? null : context.ModelConfigPath(path));
    }

    /// <summary>The id a config file's model gets: its folder's name, or <c>custom</c> when the path names no folder.</summary>
    public static string IdFromPath(string path)
    {
        var folder = Path.GetFileName(Path.GetDirectoryName(path.TrimEnd('/', '\\')));
        return string.IsNullOrWhiteSpace(folder) || folder is "." or ".." ? "custom" : folder;
    }

    // The subject fields alone, for commands whose question has no request record yet.
    private sealed record SubjectOnly : ModelGpuRequest;
}
