using System.Text.Json;
using System.Text.RegularExpressions;
using Infercost.Catalog;
using Infercost.Quantities;

namespace Infercost.Economics.Prices;

// LiteLLM's model_prices_and_context_window.json is the de-facto public price list: an object keyed by model name,
// prices in dollars per token. Only token-priced text models are imported (mode chat, completion or responses, or no
// mode); image, audio and embedding entries are skipped, as is the "sample_spec" documentation entry. Unknown fields
// are ignored here on purpose: the file grows new fields every week and a user's import should not break on them.

/// <summary>Reads a LiteLLM-format price file into price rows.</summary>
internal static partial class LiteLlmPriceImport
{
    private static readonly string[] TextModes = ["chat", "completion", "responses"];

    /// <summary>Parses <paramref name="json"/>; throws one <see cref="InvalidInputException"/> listing every problem.</summary>
    /// <remarks>$/MTok = $/token × 10^6. Batch discount = 1 − <c>input_cost_per_token_batches</c> / <c>input_cost_per_token</c>.
    /// The long-context tier is read from <c>input_cost_per_token_above_{N}k_tokens</c> and its output twin (N × 1,000 tokens).</remarks>
    public static List<ApiPrice> Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidInputException("$", $"{sourceName}: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}");
        }

        using (document)
        {
            var problems = new CatalogProblems();
            var prices = new List<ApiPrice>();
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problems.Add("$", "must be an object keyed by model name (LiteLLM's model_prices_and_context_window.json)");
                problems.ThrowIfAny(sourceName);
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "sample_spec" || property.Value.ValueKind != JsonValueKind.Object) continue;
                if (Read(property, new JsonObjectReader(property.Value, property.Name, problems), sourceName) is { } p) prices.Add(p);
            }

            problems.ThrowIfAny(sourceName);
            if (prices.Count == 0)
            {
                throw new InvalidInputException("$", $"{sourceName}: no token-priced text models found (entries need input_cost_per_token and output_cost_per_token).");
            }

            return prices;
        }
    }

    private static ApiPrice? Read(JsonProperty entry, JsonObjectReader r, string sourceName)
    {
        var key = entry.Name;
        var mode = r.TryGet("mode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (mode is not null && !TextModes.Contains(mode, StringComparer.OrdinalIgnoreCase)) return null;
        if (!r.Has("input_cost_per_token") || !r.Has("output_cost_per_token")) return null;
        var input = PerToken(r, "input_cost_per_token");
        var output = PerToken(r, "output_cost_per_token");
        var cached = PerToken(r, "cache_read_input_token_cost");
        var write = PerToken(r, "cache_creation_input_token_cost");
        var writeOneHour = PerToken(r, "cache_creation_input_token_cost_above_1hr");
        var batchInput = PerToken(r, "input_cost_per_token_batches");
        var reasoning = PerToken(r, "output_cost_per_reasoning_token");
        LongContextTier? tier = null;
        foreach (var field in entry.Value.EnumerateObject().Select(f => f.Name))
        {
            var match = AboveTier().Match(field);
            if (!match.Success) continue;
            var thousands = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var tin = PerToken(r, field);
            var tout = PerToken(r, $"output_cost_per_token_above_{thousands}k_tokens");
            if (tin is { } ti && tout is { } to && (tier is null || thousands * 1000 < tier.ThresholdTokens))
                tier = new LongContextTier(thousands * 1000, ti, to);
        }

        if (input is not { } inPrice || output is not { } outPrice) return null;
        double? batch = batchInput is { } bi && inPrice.Value > 0 ? Math.Round(1 - bi.Value / inPrice.Value, 6) : null;
        if (batch is < 0 or >= 1) batch = null;
        var window = r.TryGet("max_input_tokens", out var w) && w.TryGetInt32(out var wi) && wi > 0 ? wi
            : r.TryGet("max_tokens", out var t) && t.TryGetInt32(out var ti2) && ti2 > 0 ? ti2 : (int?)null;
        var provider = r.TryGet("litellm_provider", out var pv) && pv.ValueKind == JsonValueKind.String ? pv.GetString() ?? "" : "";
        var id = PriceCatalog.Embedded.TryResolveId(key, out var known) ? known : key.Trim().ToLowerInvariant();
        var notes = "Imported from a LiteLLM-format file; per-token prices × 10^6.";
        if (reasoning is { } rp && Math.Abs(rp.Value - outPrice.Value) > 1e-12)
            notes += $" The file gives reasoning tokens their own rate (${Guard.Format(rp.Value)}/MTok); this catalog bills them as output.";
        return new ApiPrice(id, provider, key, inPrice, cached, write, outPrice, batch, tier, window, null, null, sourceName, notes)
        {
            SourceKind = PriceSourceKind.User,
            Aliases = string.Equals(id, key, StringComparison.OrdinalIgnoreCase) ? [] : [key],
            CacheWriteOneHour = writeOneHour,
        };
    }

    private static DollarsPerMillionTokens? PerToken(JsonObjectReader r, string name)
    {
        if (!r.TryGet(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d) || d < 0)
        {
            r.Problem(name, $"must be a finite number >= 0 (dollars per token); was {JsonObjectReader.Raw(v)}");
            return null;
        }

        var perMillion = d * 1e6;
        if (perMillion > PriceCatalogParser.MaxPrice)
        {
            r.Problem(name, $"must be at most {Guard.Format(PriceCatalogParser.MaxPrice / 1e6)} dollars per token; was {JsonObjectReader.Raw(v)}");
            return null;
        }

        return DollarsPerMillionTokens.FromDollarsPerMillionTokens(perMillion);
    }

    [GeneratedRegex(@"^input_cost_per_token_above_(\d+)k_tokens$")]
    private static partial Regex AboveTier();
}
