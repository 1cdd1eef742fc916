using System.Text.Json;
using System.Text.RegularExpressions;
using Infercost.Catalog;
using Infercost.Quantities;

namespace Infercost.Economics.Prices;

// LiteLLM's model_prices_and_context_window.json is the de-facto public price list: an object keyed by model name,
// prices in dollars per token. Only token-priced text models are imported (mode chat, completion or responses, or no
// mode); image, audio and embedding entries are skipped, as is the "sample_spec" documentation entry. Unknown fields
// are ignored here on purpose: the file grows new fields every week and a user's import should not break on them.
// The real file carries a handful of entries priced absurdly upstream (dollars where it means micro-dollars); one bad
// entry must not cost the user the other two thousand, so an entry with a bad value is skipped and reported, and
// prices that are implausible but not impossible are kept apart as outliers: they would otherwise come out of a
// margin calculation as a 100% margin.

/// <summary>What an import of a LiteLLM-format file produced.</summary>
/// <param name="Prices">The priced text models imported (outliers only when asked for).</param>
/// <param name="Skipped">One line per entry left out because a value is wrong: key, field, value and why.</param>
/// <param name="Outliers">One line per entry whose price is implausible (over $1,000/MTok, or far outside the model's
/// peers in the same file); kept out of <paramref name="Prices"/> unless asked for.</param>
public sealed record LiteLlmImport(IReadOnlyList<ApiPrice> Prices, IReadOnlyList<string> Skipped, IReadOnlyList<string> Outliers);

/// <summary>Reads a LiteLLM-format price file into price rows.</summary>
internal static partial class LiteLlmPriceImport
{
    private static readonly string[] TextModes = ["chat", "completion", "responses"];

    /// <summary>Above this, a price per million tokens is implausible for a text model (the dearest list prices are
    /// $150–600/MTok output); such rows are outliers.</summary>
    public const double OutlierAbovePerMillion = 1_000;

    /// <summary>A price this many times the median of the same model's other entries (three or more) is an outlier.</summary>
    public const double PeerFactor = 20;

    /// <summary>Parses <paramref name="json"/>; outliers are left out. Throws only when the file as a whole is unusable.</summary>
    public static List<ApiPrice> Parse(string json, string sourceName) => [.. Import(json, sourceName, includeOutliers: false).Prices];

    /// <summary>Imports <paramref name="json"/>: every good entry, the bad ones listed, the outliers kept apart.</summary>
    /// <remarks>$/MTok = $/token × 10^6. Batch discount = 1 − <c>input_cost_per_token_batches</c> / <c>input_cost_per_token</c>.
    /// The long-context tier is read from <c>input_cost_per_token_above_{N}k_tokens</c> and its output twin (N × 1,000 tokens),
    /// or from <c>tiered_pricing</c> (tiers by prompt length, <c>range</c> [from, to) in tokens): the tier from 0 is the base
    /// price where the entry gives none, the next one the long-context tier; tiers after that are named in the notes.
    /// A key ending in a date (<c>gpt-4o-2024-05-13</c>, <c>claude-3-5-sonnet-20241022</c>) is a model of its own.</remarks>
    /// <exception cref="InvalidInputException">Not JSON (with the 1-based line and column), not an object, or no priced text model in it.</exception>
    public static LiteLlmImport Import(string json, string sourceName, bool includeOutliers)
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
            throw new InvalidInputException("$", $"{sourceName}: not valid JSON at line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                var problems = new CatalogProblems();
                problems.Add("$", "must be an object keyed by model name (LiteLLM's model_prices_and_context_window.json)");
                problems.ThrowIfAny(sourceName);
            }

            var prices = new List<ApiPrice>();
            var skipped = new List<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "sample_spec" || property.Value.ValueKind != JsonValueKind.Object) continue;
                var problems = new CatalogProblems();
                var price = Read(property, new JsonObjectReader(property.Value, property.Name, problems), sourceName);
                if (problems.Count > 0) skipped.AddRange(problems.Lines);
                else if (price is not null) prices.Add(price);
            }

            if (prices.Count == 0)
            {
                throw new InvalidInputException("$", $"{sourceName}: no token-priced text models found (entries need input_cost_per_token and output_cost_per_token)"
                    + (skipped.Count > 0 ? $"; {skipped.Count} entries skipped: {skipped[0]}" : "") + ".");
            }

            var outliers = Outliers(prices);
            var kept = includeOutliers ? prices : prices.Where(p => !outliers.ContainsKey(p)).ToList();
            var outlierLines = outliers.Select(o => $"{o.Key.Name}: {o.Value}").ToList();
            return new LiteLlmImport(kept.Select(p => outliers.TryGetValue(p, out var why) ? p with { Notes = p.Notes + " Outlier: " + why } : p).ToList(),
                skipped, outlierLines);
        }
    }

    // Over $1,000/MTok, or 20× the median of the same model's other entries (the part of the key after the last '/',
    // with a region prefix such as "us." removed) when there are at least three of them.
    private static Dictionary<ApiPrice, string> Outliers(List<ApiPrice> prices)
    {
        var result = new Dictionary<ApiPrice, string>(ReferenceEqualityComparer.Instance);
        foreach (var p in prices)
        {
            var top = Math.Max(p.Input.Value, p.Output.Value);
            if (top > OutlierAbovePerMillion)
                result[p] = $"${Guard.Format(top)}/MTok is over ${Guard.Format(OutlierAbovePerMillion)}/MTok (implausible for a text model; likely a unit slip upstream)";
        }

        foreach (var group in prices.GroupBy(p => BaseName(p.Name), StringComparer.OrdinalIgnoreCase))
        {
            var members = group.ToList();
            if (members.Count < 3) continue;
            foreach (var p in members)
            {
                if (result.ContainsKey(p)) continue;
                var others = members.Where(o => !ReferenceEquals(o, p)).ToList();
                var medianIn = Median(others.Select(o => o.Input.Value));
                var medianOut = Median(others.Select(o => o.Output.Value));
                if (medianOut > 0 && p.Output.Value > PeerFactor * medianOut)
                    result[p] = $"output ${Guard.Format(p.Output.Value)}/MTok is over {PeerFactor}× the median of {others.Count} other '{group.Key}' entries (${Guard.Format(medianOut)}/MTok)";
                else if (medianIn > 0 && p.Input.Value > PeerFactor * medianIn)
                    result[p] = $"input ${Guard.Format(p.Input.Value)}/MTok is over {PeerFactor}× the median of {others.Count} other '{group.Key}' entries (${Guard.Format(medianIn)}/MTok)";
            }
        }

        return result;
    }

    private static string BaseName(string key)
    {
        var name = key[(key.LastIndexOf('/') + 1)..].ToLowerInvariant();
        foreach (var region in (ReadOnlySpan<string>)["us.", "eu.", "apac.", "jp.", "au.", "global.", "ca.", "us-gov."])
        {
            if (name.StartsWith(region, StringComparison.Ordinal)) return name[region.Length..];
        }

        return name;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return 0;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>True for a key that ends in a snapshot date: -YYYY-MM-DD, -YYYYMMDD or @YYYYMMDD (optionally followed by a version such as -v1:0).</summary>
    public static bool IsDatedSnapshot(string key) => DatedSnapshot().IsMatch(key);

    private static ApiPrice? Read(JsonProperty entry, JsonObjectReader r, string sourceName)
    {
        var key = entry.Name;
        var mode = r.TryGet("mode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        if (mode is not null && !TextModes.Contains(mode, StringComparer.OrdinalIgnoreCase)) return null;
        // Volcengine's entries (and some DashScope ones) give no top-level prices, only tiers by prompt length.
        var tiers = Tiers(r, out var badTier);
        if (badTier) return null;
        if ((!r.Has("input_cost_per_token") || !r.Has("output_cost_per_token")) && tiers is null) return null;
        var input = PerToken(r, "input_cost_per_token");
        var output = PerToken(r, "output_cost_per_token");
        var tierNotes = "";
        if (tiers is { Count: > 0 })
        {
            var first = tiers.Find(t => t.From == 0);
            if (first is null)
            {
                r.Problem("tiered_pricing", $"must have a tier whose range starts at 0 (the base price); the first starts at {Guard.Format(tiers.Min(t => t.From))}");
                return null;
            }

            // A tier's missing price is the entry's own (DashScope tiers that price only the input).
            input ??= first.Input;
            output ??= first.Output;
            if (input is null || output is null)
            {
                r.Problem($"tiered_pricing[{tiers.IndexOf(first)}]", "must give input_cost_per_token and output_cost_per_token when the entry gives none");
                return null;
            }
        }

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
        if (tiers is { Count: > 1 })
        {
            // One long-context tier is modelled: the first above the base. Later ones are said, not silently dropped.
            var above = tiers.Where(x => x.From > 0).OrderBy(x => x.From).ToList();
            var next = above[0];
            if (tier is null || next.From < tier.ThresholdTokens)
                tier = new LongContextTier((int)next.From, next.Input ?? inPrice, next.Output ?? outPrice);
            var rest = above.Skip(1).Select(x => $"from {Tokens(x.From)} tokens ${Guard.Format((x.Input ?? inPrice).Value)} / ${Guard.Format((x.Output ?? outPrice).Value)}/MTok").ToList();
            if (rest.Count > 0)
                tierNotes = $" The file prices prompts in {tiers.Count} length tiers; one long-context tier is modelled (from {Tokens(next.From)} tokens), so prompts past the next are priced at it: the file's later tiers are {string.Join("; ", rest)}.";
        }

        double? batch = batchInput is { } bi && inPrice.Value > 0 ? Math.Round(1 - bi.Value / inPrice.Value, 6) : null;
        if (batch is < 0 or >= 1) batch = null;
        var window = r.TryGet("max_input_tokens", out var w) && w.TryGetInt32(out var wi) && wi > 0 ? wi
            : r.TryGet("max_tokens", out var t) && t.TryGetInt32(out var ti2) && ti2 > 0 ? ti2 : (int?)null;
        var provider = r.TryGet("litellm_provider", out var pv) && pv.ValueKind == JsonValueKind.String ? pv.GetString() ?? "" : "";
        // A dated snapshot (gpt-4o-2024-05-13) is its own model, never a second price for the undated id, unless the
        // embedded catalog knows that exact snapshot.
        var id = PriceCatalog.Embedded.TryResolveId(key, out var known) && (!IsDatedSnapshot(key) || IsDatedSnapshot(known))
            ? known
            : key.Trim().ToLowerInvariant();
        var notes = "Imported from a LiteLLM-format file; per-token prices × 10^6." + tierNotes;
        if (reasoning is { } rp && Math.Abs(rp.Value - outPrice.Value) > 1e-12)
            notes += $" The file gives reasoning tokens their own rate (${Guard.Format(rp.Value)}/MTok); this catalog bills them as output.";
        return new ApiPrice(id, provider, key, inPrice, cached, write, outPrice, batch, tier, window, null, null, sourceName, notes)
        {
            SourceKind = PriceSourceKind.User,
            Aliases = string.Equals(id, key, StringComparison.OrdinalIgnoreCase) ? [] : [key],
            CacheWriteOneHour = writeOneHour,
        };
    }

    private static string Tokens(double tokens) => tokens.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    // One entry of tiered_pricing: prompts of [From, To) tokens (To null: no upper end) at these prices (null: the entry's).
    private sealed record PriceTier(double From, double? To, DollarsPerMillionTokens? Input, DollarsPerMillionTokens? Output);

    // bad: a problem was reported (the entry is skipped on it alone, with no second complaint about what it left out).
    private static List<PriceTier>? Tiers(JsonObjectReader r, out bool bad)
    {
        bad = false;
        if (!r.TryGet("tiered_pricing", out var v) || v.ValueKind == JsonValueKind.Null) return null;
        bad = true;
        if (v.ValueKind != JsonValueKind.Array)
        {
            r.Problem("tiered_pricing", $"must be an array of tiers ({{\"range\": [from, to], \"input_cost_per_token\": ..., \"output_cost_per_token\": ...}}); was {JsonObjectReader.Raw(v)}");
            return [];
        }

        var tiers = new List<PriceTier>();
        var i = 0;
        var fine = true;
        foreach (var t in v.EnumerateArray())
        {
            var path = $"tiered_pricing[{i++}]";
            if (t.ValueKind != JsonValueKind.Object)
            {
                r.Problem(path, $"must be an object with range and per-token prices; was {JsonObjectReader.Raw(t)}");
                fine = false;
                continue;
            }

            var tr = r.At(t, r.PathOf(path));
            double? from = null, to = null;
            var rangeOk = t.TryGetProperty("range", out var range) && range.ValueKind == JsonValueKind.Array && range.GetArrayLength() == 2
                && range[0].ValueKind == JsonValueKind.Number && range[0].TryGetDouble(out var lo) && lo >= 0 && double.IsFinite(lo)
                && (range[1].ValueKind == JsonValueKind.Null || (range[1].TryGetDouble(out var hi) && hi > lo && double.IsFinite(hi)));
            if (rangeOk)
            {
                from = range[0].GetDouble();
                to = range[1].ValueKind == JsonValueKind.Null ? null : range[1].GetDouble();
            }

            if (from is null || from > int.MaxValue)
            {
                tr.Problem("range", $"must be [from, to] prompt tokens with 0 <= from < to (to may be null); was {(t.TryGetProperty("range", out var raw) ? JsonObjectReader.Raw(raw) : "missing")}");
                fine = false;
                continue;
            }

            var tin = PerToken(tr, "input_cost_per_token");
            var tout = PerToken(tr, "output_cost_per_token");
            if ((tin is null && tr.Has("input_cost_per_token")) || (tout is null && tr.Has("output_cost_per_token"))) fine = false;
            tiers.Add(new PriceTier(from.Value, to, tin, tout));
        }

        bad = !fine;
        return tiers;
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
            r.Problem(name, $"must be at most {Guard.Format(PriceCatalogParser.MaxPrice / 1e6)} dollars per token (${Guard.Format(PriceCatalogParser.MaxPrice)}/MTok); was {JsonObjectReader.Raw(v)}");
            return null;
        }

        return DollarsPerMillionTokens.FromDollarsPerMillionTokens(perMillion);
    }

    [GeneratedRegex(@"^input_cost_per_token_above_(\d+)k_tokens$")]
    private static partial Regex AboveTier();

    [GeneratedRegex(@"[-@](20\d\d-?[01]\d-?[0-3]\d)(-v\d+(:\d+)?)?$")]
    private static partial Regex DatedSnapshot();
}
