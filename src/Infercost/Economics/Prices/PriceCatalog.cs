using System.Diagnostics.CodeAnalysis;
using Infercost.Catalog;

namespace Infercost.Economics.Prices;

// Immutable like Catalog: built once from the embedded prices.json or a user's file and combined with WithOverrides.
// Rows are never merged or averaged: sources that disagree stay side by side, and the resolution rules
// (PriceResolution) pick one answer per date and say when it is disputed.

/// <summary>API list prices by model id, with their sources and dates: "what does X cost", "what did X cost on D".</summary>
public sealed class PriceCatalog
{
    private const string ResourceName = "Infercost.Catalog.prices.json";

    private static readonly Lazy<PriceCatalog> LazyEmbedded = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<string, List<ApiPrice>> _byModel = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _aliases = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _modelIds = [];

    private PriceCatalog(IEnumerable<ApiPrice> rows)
    {
        foreach (var row in rows)
        {
            if (!_byModel.TryGetValue(row.ModelId, out var list))
            {
                list = [];
                _byModel[row.ModelId] = list;
                _modelIds.Add(row.ModelId);
            }

            list.Add(row);
        }

        foreach (var row in _byModel.Values.SelectMany(l => l))
        {
            foreach (var alias in row.Aliases)
            {
                if (!_byModel.ContainsKey(alias)) _aliases.TryAdd(alias, row.ModelId);
            }
        }

        Prices = _modelIds.SelectMany(id => WithDisputes(_byModel[id])).ToList();
    }

    /// <summary>The catalog shipped inside the assembly (<c>Catalog/Data/prices.json</c>, built from shared/data/api-prices.csv
    /// by tools/build_prices.py); loaded once, on first use.</summary>
    public static PriceCatalog Embedded => LazyEmbedded.Value;

    /// <summary>Every row, grouped by model in file order, each with <see cref="ApiPrice.Disputed"/> set: true when another
    /// source gives a different price at the row's own date, or when the row is one of today's and another of today's differs.</summary>
    public IReadOnlyList<ApiPrice> Prices { get; }

    /// <summary>Every model id, in file order.</summary>
    public IReadOnlyList<string> ModelIds => _modelIds;

    /// <summary>Parses a price document in the project's format: <c>{"prices": [{"model": "...", "inputUsdPerMTok": 3,
    /// "outputUsdPerMTok": 15, ...}]}</c>.</summary>
    /// <param name="json">The document text.</param>
    /// <param name="sourceName">Names the document in error messages, and is the source of rows that give none.</param>
    /// <exception cref="InvalidInputException">Invalid JSON, unknown fields, missing or out-of-range values; the message
    /// lists every problem with its JSON path.</exception>
    public static PriceCatalog Parse(string json, string sourceName) => new(PriceCatalogParser.Parse(json, sourceName));

    /// <summary>Imports a LiteLLM-format price file (<c>model_prices_and_context_window.json</c>): per-token prices
    /// (<c>input_cost_per_token</c>, <c>output_cost_per_token</c>, <c>cache_read_input_token_cost</c>,
    /// <c>cache_creation_input_token_cost</c>, <c>input_cost_per_token_above_200k_tokens</c>, <c>*_batches</c>) become
    /// $/MTok (× 10^6). Keys that name a catalog model (by id or litellm key) take that model's id.</summary>
    /// <exception cref="InvalidInputException">Invalid JSON or non-numeric prices, each with its path.</exception>
    public static PriceCatalog FromLiteLlm(string json, string sourceName) => new(LiteLlmPriceImport.Parse(json, sourceName));

    /// <summary>Imports a LiteLLM-format price file and says what it left out: entries with a bad value (skipped) and
    /// implausible prices (outliers, kept out unless <paramref name="includeOutliers"/>). See <see cref="FromLiteLlm"/>.</summary>
    /// <exception cref="InvalidInputException">The file as a whole is unusable (not JSON, not an object, nothing priced).</exception>
    public static (PriceCatalog Catalog, LiteLlmImport Import) ImportLiteLlm(string json, string sourceName, bool includeOutliers)
    {
        var import = LiteLlmPriceImport.Import(json, sourceName, includeOutliers);
        return (new PriceCatalog(import.Prices), import);
    }

    /// <summary>This catalog with <paramref name="other"/>'s rows added; a model that <paramref name="other"/> prices
    /// has all of this catalog's rows replaced by <paramref name="other"/>'s (the user's price wins outright).</summary>
    public PriceCatalog WithOverrides(PriceCatalog other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var replaced = new HashSet<string>(other._modelIds, StringComparer.OrdinalIgnoreCase);
        var rows = _modelIds.Where(id => !replaced.Contains(id)).SelectMany(id => _byModel[id])
            .Concat(other._modelIds.SelectMany(id => other._byModel[id]));
        return new PriceCatalog(rows);
    }

    /// <summary>Resolves an id or alias (a litellm key such as <c>claude-sonnet-4-5</c>) to a catalog id, case-insensitively.</summary>
    public bool TryResolveId(string idOrAlias, [NotNullWhen(true)] out string? modelId)
    {
        modelId = null;
        if (string.IsNullOrWhiteSpace(idOrAlias)) return false;
        var key = idOrAlias.Trim();
        if (_byModel.TryGetValue(key, out var rows))
        {
            modelId = rows[0].ModelId;
            return true;
        }

        return _aliases.TryGetValue(key, out modelId);
    }

    /// <summary>The price of <paramref name="modelId"/>: now (no date; undated rows count), or on <paramref name="onDate"/>
    /// (the latest row in effect on or before it), optionally from one <paramref name="source"/> only.</summary>
    /// <param name="modelId">Catalog id or alias, case-insensitive.</param>
    /// <param name="onDate">The day asked about; null for the current price.</param>
    /// <param name="source">A source id (<c>seed-note</c>, <c>llm-prices</c>, <c>litellm</c>) to read only that source's rows.</param>
    /// <returns>The best-supported row, with <see cref="ApiPrice.Disputed"/> true when another source in effect disagrees.</returns>
    /// <exception cref="InvalidInputException">Unknown id (the closest ids are suggested), unknown source for the model,
    /// or no row in effect on the date.</exception>
    public ApiPrice Get(string modelId, DateOnly? onDate = null, string? source = null)
    {
        var id = Resolve(modelId);
        var rows = _byModel[id];
        if (source is not null)
        {
            var wanted = source.Trim();
            rows = rows.Where(r => Matches(r, wanted)).ToList();
            if (rows.Count == 0)
            {
                var known = _byModel[id].Select(r => r.SourceId).Distinct(StringComparer.OrdinalIgnoreCase);
                throw new InvalidInputException("source", $"no price for {id} from source '{wanted}'; its sources: {string.Join(", ", known)}.");
            }
        }

        var candidates = PriceResolution.Candidates(rows, onDate);
        if (candidates.Count == 0 && source is not null && onDate is null)
        {
            candidates = rows.ToList();
        }

        if (candidates.Count == 0) throw NoPriceOn(id, rows, onDate);
        var best = PriceResolution.Best(candidates, rows);
        return source is null ? AgainstSameModel(best, onDate) : best;
    }

    /// <summary>Every row for <paramref name="modelId"/>, oldest first; undated rows last. Disputed flags as in <see cref="Prices"/>.</summary>
    /// <exception cref="InvalidInputException">Unknown id; the closest ids are suggested.</exception>
    public IReadOnlyList<ApiPrice> History(string modelId)
    {
        var id = Resolve(modelId);
        return Prices
            .Where(p => string.Equals(p.ModelId, id, StringComparison.OrdinalIgnoreCase))
            .Select((p, i) => (Price: p, Index: i))
            .OrderBy(x => x.Price.AsOf is null ? 1 : 0)
            .ThenBy(x => x.Price.AsOf ?? DateOnly.MaxValue)
            .ThenBy(x => x.Index)
            .Select(x => x.Price)
            .ToList();
    }

    /// <summary>One row per model: its price on <paramref name="onDate"/> (or now), in file order. Models with no row
    /// in effect on the date are left out.</summary>
    public IReadOnlyList<ApiPrice> On(DateOnly? onDate = null) =>
        _modelIds
            .Select(id => PriceResolution.Candidates(_byModel[id], onDate) is { Count: > 0 } c ? PriceResolution.Best(c, _byModel[id]) : null)
            .OfType<ApiPrice>()
            .Select(p => AgainstSameModel(p, onDate))
            .ToList();

    // Ids that name the same served model (SameModelAs, either way round) should agree on a date; where one gives a
    // different price, the answer says so instead of silently picking whichever id was asked for.
    private ApiPrice AgainstSameModel(ApiPrice best, DateOnly? onDate)
    {
        var twins = _byModel.Values.SelectMany(l => l)
            .Where(r => string.Equals(r.SameModelAs, best.ModelId, StringComparison.OrdinalIgnoreCase))
            .Select(r => r.ModelId)
            .Concat(_byModel[best.ModelId].Select(r => r.SameModelAs).OfType<string>())
            .Where(t => !string.Equals(t, best.ModelId, StringComparison.OrdinalIgnoreCase) && _byModel.ContainsKey(t))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        var against = new List<string>();
        foreach (var twin in twins)
        {
            var rows = _byModel[twin];
            if (PriceResolution.Candidates(rows, onDate) is not { Count: > 0 } c) continue;
            var other = PriceResolution.Best(c, rows);
            if (!PriceResolution.SamePrice(other, best)) against.Add($"{other.ModelId} (same model, {other.SourceId}): {other.Summary}");
        }

        return against.Count == 0 ? best : best with { Disputed = true, DisputedBy = [.. best.DisputedBy, .. against] };
    }

    /// <summary>The first day on which any model has a price in effect; null when no row is dated.</summary>
    public DateOnly? FirstPricedDay()
    {
        var starts = _byModel.Values.SelectMany(rows => rows.Select(r => PriceResolution.Start(r, rows))).OfType<DateOnly>().ToList();
        return starts.Count > 0 ? starts.Min() : null;
    }

    private string Resolve(string modelId)
    {
        if (TryResolveId(modelId, out var id)) return id;
        var suggestions = IdSuggestions.Closest(modelId ?? "", _modelIds);
        var contains = _modelIds.Where(m => !string.IsNullOrWhiteSpace(modelId) && m.Contains(modelId.Trim(), StringComparison.OrdinalIgnoreCase));
        var near = suggestions.Concat(contains).Distinct(StringComparer.OrdinalIgnoreCase).Take(5).ToList();
        var tail = near.Count > 0 ? $"did you mean {string.Join(", ", near)}?" : "run 'infercost prices' to list them.";
        throw new InvalidInputException("model", $"unknown priced model '{modelId}'; {tail}");
    }

    private static bool Matches(ApiPrice row, string source) =>
        string.Equals(row.SourceId, source, StringComparison.OrdinalIgnoreCase)
        || string.Equals(PriceResolution.Family(row), source, StringComparison.OrdinalIgnoreCase)
        || row.Source.StartsWith(source, StringComparison.OrdinalIgnoreCase);

    private static InvalidInputException NoPriceOn(string id, IReadOnlyList<ApiPrice> rows, DateOnly? onDate)
    {
        var starts = rows.Select(r => PriceResolution.Start(r, rows)).OfType<DateOnly>().ToList();
        var tail = starts.Count > 0
            ? $"its dated prices start on {starts.Min():yyyy-MM-dd}."
            : "it has only undated prices; ask without a date.";
        var when = onDate is { } d ? $"on {d:yyyy-MM-dd}" : "now";
        return new InvalidInputException("onDate", $"no price for {id} {when}; {tail}");
    }

    private static List<ApiPrice> WithDisputes(List<ApiPrice> rows)
    {
        var current = PriceResolution.Candidates(rows, null);
        return rows.Select(row =>
        {
            var others = new List<ApiPrice>();
            if (PriceResolution.Start(row, rows) is { } day)
            {
                var then = PriceResolution.Candidates(rows, day);
                if (then.Contains(row)) others.AddRange(then.Where(o => !ReferenceEquals(o, row)));
            }

            if (current.Contains(row)) others.AddRange(current.Where(o => !ReferenceEquals(o, row)));
            return PriceResolution.WithDispute(row, others);
        }).ToList();
    }

    private static PriceCatalog LoadEmbedded()
    {
        using var stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource '{ResourceName}' is missing from {typeof(PriceCatalog).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), "embedded prices.json");
    }
}
