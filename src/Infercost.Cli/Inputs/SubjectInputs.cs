using System.CommandLine;
using Infercost.Catalog;
using Infercost.Hardware;
using Infercost.Models;

namespace Infercost.Cli.Inputs;

/// <summary>A model and an accelerator, resolved from the catalog (and the user's files).</summary>
internal sealed record Subject(Catalog.Catalog Catalog, ModelArchitecture Model, Accelerator Accelerator);

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
        Description = "A Hugging Face config.json describing the model. Its id is --model if given, else the file's folder " +
                      "name (models/Qwen3-8B/config.json → Qwen3-8B), else 'custom'.",
        HelpName = "config.json",
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

    /// <summary>Looks the model and accelerator up.</summary>
    /// <exception cref="InvalidInputException">Unknown id (with the closest ids), unreadable or invalid file, or no model given.</exception>
    public Subject Resolve(ParseResult parse, CliContext context)
    {
        var catalog = Catalog.Load(parse, context);
        var accelerator = catalog.GetAccelerator(parse.GetValue(Gpu)!);
        var id = parse.GetValue(Model);
        var configPath = parse.GetValue(ModelConfig);
        ModelArchitecture model;
        if (configPath is not null)
        {
            var text = context.ReadText(configPath, "--model-config");
            model = HuggingFaceConfig.Parse(text, id ?? IdFromPath(configPath), configPath);
        }
        else
        {
            model = id is null
                ? throw new InvalidInputException("model", "model is required: give --model ID (see 'infercost catalog list models') or --model-config FILE.")
                : catalog.GetModel(id);
        }

        return new Subject(catalog, model, accelerator);
    }

    /// <summary>The id a config file's model gets: its folder's name, or <c>custom</c> when the path names no folder.</summary>
    public static string IdFromPath(string path)
    {
        var folder = Path.GetFileName(Path.GetDirectoryName(path.TrimEnd('/', '\\')));
        return string.IsNullOrWhiteSpace(folder) || folder is "." or ".." ? "custom" : folder;
    }
}
