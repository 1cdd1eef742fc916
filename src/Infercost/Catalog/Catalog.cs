using System.Diagnostics.CodeAnalysis;
using Infercost.Hardware;
using Infercost.Models;

namespace Infercost.Catalog;

// Immutable: a Catalog is built once (embedded data, a user's file) and combined with WithOverrides,
// which returns a new catalog. Lookups are case-insensitive because ids are typed on command lines;
// order is kept as the files give it so listings read the way the data was written.

/// <summary>Accelerators and models known by id: the embedded catalog, a user's file, or both combined.</summary>
public sealed class Catalog
{
    private const string ResourcePrefix = "Infercost.Catalog.";

    private static readonly Lazy<Catalog> LazyEmbedded = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<string, Accelerator> _acceleratorsById;
    private readonly Dictionary<string, ModelArchitecture> _modelsById;

    private Catalog(IReadOnlyList<Accelerator> accelerators, IReadOnlyList<ModelArchitecture> models)
    {
        Accelerators = accelerators;
        Models = models;
        _acceleratorsById = accelerators.ToDictionary(a => a.Id, StringComparer.OrdinalIgnoreCase);
        _modelsById = models.ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The catalog shipped inside the assembly (<c>Catalog/Data/*.json</c>); loaded once, on first use.</summary>
    public static Catalog Embedded => LazyEmbedded.Value;

    /// <summary>Every accelerator, in file order.</summary>
    public IReadOnlyList<Accelerator> Accelerators { get; }

    /// <summary>Every model, in file order.</summary>
    public IReadOnlyList<ModelArchitecture> Models { get; }

    /// <summary>Parses a catalog document: <c>{"accelerators": [...], "models": [...]}</c>, either array optional.</summary>
    /// <param name="json">The document text.</param>
    /// <param name="sourceName">Names the document in error messages (a file name, "embedded models.json").</param>
    /// <exception cref="InvalidInputException">The document is not valid JSON, has unknown fields, misses required
    /// fields or holds values out of range. The message lists every problem, one per line, each with its JSON path.</exception>
    public static Catalog Parse(string json, string sourceName)
    {
        var (accelerators, models) = CatalogParser.Parse(json, sourceName);
        return new Catalog(accelerators, models);
    }

    /// <summary>This catalog with the entries of <paramref name="other"/> added; an entry with the id of an existing
    /// one (case-insensitive) replaces it in place.</summary>
    public Catalog WithOverrides(Catalog other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new Catalog(Merge(Accelerators, other.Accelerators, a => a.Id), Merge(Models, other.Models, m => m.Id));
    }

    /// <summary>The accelerator with <paramref name="id"/> (case-insensitive).</summary>
    /// <exception cref="InvalidInputException">No such accelerator; the message suggests the closest ids.</exception>
    public Accelerator GetAccelerator(string id) =>
        TryGetAccelerator(id, out var a) ? a : throw Unknown("accelerator", id, _acceleratorsById.Values.Select(x => x.Id));

    /// <summary>The model with <paramref name="id"/> (case-insensitive).</summary>
    /// <exception cref="InvalidInputException">No such model; the message suggests the closest ids.</exception>
    public ModelArchitecture GetModel(string id) =>
        TryGetModel(id, out var m) ? m : throw Unknown("model", id, _modelsById.Values.Select(x => x.Id));

    /// <summary>Looks up an accelerator by id (case-insensitive).</summary>
    public bool TryGetAccelerator(string id, [NotNullWhen(true)] out Accelerator? accelerator)
    {
        accelerator = null;
        return id is not null && _acceleratorsById.TryGetValue(id.Trim(), out accelerator);
    }

    /// <summary>Looks up a model by id (case-insensitive).</summary>
    public bool TryGetModel(string id, [NotNullWhen(true)] out ModelArchitecture? model)
    {
        model = null;
        return id is not null && _modelsById.TryGetValue(id.Trim(), out model);
    }

    private static InvalidInputException Unknown(string kind, string? id, IEnumerable<string> known)
    {
        var ids = known.ToList();
        var suggestions = IdSuggestions.Closest(id ?? "", ids);
        var tail = suggestions.Count > 0
            ? $"did you mean {string.Join(", ", suggestions)}?"
            : $"known {kind}s: {string.Join(", ", ids)}";
        return new InvalidInputException(kind, $"unknown {kind} '{id}'; {tail}");
    }

    private static List<T> Merge<T>(IReadOnlyList<T> baseline, IReadOnlyList<T> overrides, Func<T, string> idOf)
    {
        var merged = baseline.ToList();
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < merged.Count; i++) index[idOf(merged[i])] = i;
        foreach (var entry in overrides)
        {
            if (index.TryGetValue(idOf(entry), out var at))
            {
                merged[at] = entry;
            }
            else
            {
                index[idOf(entry)] = merged.Count;
                merged.Add(entry);
            }
        }

        return merged;
    }

    private static Catalog LoadEmbedded()
    {
        var accelerators = Parse(ReadResource("accelerators.json"), "embedded accelerators.json");
        var models = Parse(ReadResource("models.json"), "embedded models.json");
        return accelerators.WithOverrides(models);
    }

    private static string ReadResource(string file)
    {
        var name = ResourcePrefix + file;
        using var stream = typeof(Catalog).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource '{name}' is missing from {typeof(Catalog).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
