using System.Globalization;
using System.Text.Json;
using Infercost.Catalog;
using Infercost.Quantities;

namespace Infercost.Economics.Prices;

// Same approach as CatalogParser: JsonDocument plus JsonObjectReader, so that every problem is reported with its
// JSON path in one go and unknown fields are errors rather than silently dropped.

/// <summary>Parses the project's price format: <c>{"prices": [...]}</c>, one entry per source row.</summary>
internal static class PriceCatalogParser
{
    /// <summary>The highest list price accepted, in $/MTok (GPT-5.4 Pro's long-context output is $270).</summary>
    public const double MaxPrice = 100_000;

    private static readonly string[] RootFields = ["prices"];

    private static readonly string[] PriceFields =
    [
        "model", "provider", "name", "inputUsdPerMTok", "cachedInputUsdPerMTok", "cacheWriteUsdPerMTok", "cacheWrite1hUsdPerMTok",
        "outputUsdPerMTok", "batchDiscount", "longContext", "contextWindowTokens", "effectiveFrom", "effectiveUntil", "observedOn", "source",
        "sourceKind", "aliases", "notes", "sameModelAs",
    ];

    private static readonly string[] TierFields = ["thresholdTokens", "inputUsdPerMTok", "outputUsdPerMTok"];

    private static readonly Dictionary<string, PriceSourceKind> Kinds = new(StringComparer.OrdinalIgnoreCase)
    {
        ["user"] = PriceSourceKind.User,
        ["vendor_doc"] = PriceSourceKind.VendorDoc,
        ["litellm_current"] = PriceSourceKind.LiteLlmCurrent,
        ["historical_launch"] = PriceSourceKind.HistoricalLaunch,
        ["litellm_history"] = PriceSourceKind.LiteLlmHistory,
        ["third_party"] = PriceSourceKind.ThirdParty,
        ["seed"] = PriceSourceKind.Seed,
    };

    /// <summary>Parses <paramref name="json"/>; throws one <see cref="InvalidInputException"/> listing every problem.</summary>
    public static List<ApiPrice> Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        using var document = ParseDocument(json, sourceName);
        var problems = new CatalogProblems();
        var prices = new List<ApiPrice>();
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("$", $"must be an object with a 'prices' array; was {JsonObjectReader.Raw(root)}");
            problems.ThrowIfAny(sourceName);
        }

        var reader = new JsonObjectReader(root, "", problems);
        reader.RejectUnknown(RootFields);
        if (!reader.TryGet("prices", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            reader.Problem("prices", "required array is missing");
        }
        else
        {
            var i = 0;
            foreach (var entry in array.EnumerateArray())
            {
                var path = $"prices[{i++}]";
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    problems.Add(path, $"must be an object; was {JsonObjectReader.Raw(entry)}");
                    continue;
                }

                if (Read(reader.At(entry, path), sourceName) is { } price) prices.Add(price);
            }
        }

        problems.ThrowIfAny(sourceName);
        return prices;
    }

    /// <summary>A price in $/MTok: a finite number in [0, <see cref="MaxPrice"/>]; null when absent or wrong (recorded).</summary>
    public static DollarsPerMillionTokens? Price(JsonObjectReader r, string name, bool required)
    {
        if (!r.TryGet(name, out var v))
        {
            if (required) r.Problem(name, "required field is missing");
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var d) || !double.IsFinite(d))
        {
            r.Problem(name, $"must be a finite number; was {JsonObjectReader.Raw(v)}");
            return null;
        }

        if (d < 0 || d > MaxPrice)
        {
            r.Problem(name, $"must be in [0, {Guard.Format(MaxPrice)}]; was {JsonObjectReader.Raw(v)}");
            return null;
        }

        return DollarsPerMillionTokens.FromDollarsPerMillionTokens(d);
    }

    private static ApiPrice? Read(JsonObjectReader r, string sourceName)
    {
        r.RejectUnknown(PriceFields);
        var model = r.String("model");
        var input = Price(r, "inputUsdPerMTok", required: true);
        var output = Price(r, "outputUsdPerMTok", required: true);
        var cached = Price(r, "cachedInputUsdPerMTok", required: false);
        var write = Price(r, "cacheWriteUsdPerMTok", required: false);
        var writeOneHour = Price(r, "cacheWrite1hUsdPerMTok", required: false);
        double? batch = null;
        if (r.TryGet("batchDiscount", out var b))
        {
            if (b.ValueKind == JsonValueKind.Number && b.TryGetDouble(out var d) && d >= 0 && d < 1) batch = d;
            else r.Problem("batchDiscount", $"must be a fraction in [0, 1); was {JsonObjectReader.Raw(b)}");
        }

        LongContextTier? tier = null;
        if (r.Object("longContext", required: false) is { } t)
        {
            t.RejectUnknown(TierFields);
            var threshold = t.Int("thresholdTokens", 1, 100_000_000);
            var tin = Price(t, "inputUsdPerMTok", required: true);
            var tout = Price(t, "outputUsdPerMTok", required: true);
            if (threshold is { } th && tin is { } ti && tout is { } to) tier = new LongContextTier(th, ti, to);
        }

        var window = r.Int("contextWindowTokens", 1, 100_000_000, required: false);
        var from = Date(r, "effectiveFrom");
        var until = Date(r, "effectiveUntil");
        var observed = Date(r, "observedOn");
        if (from is { } f && until is { } u && u <= f) r.Problem("effectiveUntil", $"must be after effectiveFrom {f:yyyy-MM-dd}; was {u:yyyy-MM-dd}");
        var kind = PriceSourceKind.User;
        if (r.String("sourceKind", required: false) is { } k)
        {
            if (Kinds.TryGetValue(k, out var parsed)) kind = parsed;
            else r.Problem("sourceKind", $"must be one of {string.Join(", ", Kinds.Keys)}; was \"{k}\"");
        }

        var aliases = r.Strings("aliases", required: false) ?? [];
        var provider = r.String("provider", required: false) ?? "";
        var name = r.String("name", required: false);
        var source = r.String("source", required: false) ?? sourceName;
        var notes = r.String("notes", required: false) ?? "";
        var sameAs = r.String("sameModelAs", required: false);
        if (model is null || input is null || output is null) return null;
        return new ApiPrice(model.Trim(), provider, name ?? model, input.Value, cached, write, output.Value, batch, tier, window,
            from, observed, source, notes)
        {
            EffectiveUntil = until,
            SourceKind = kind,
            Aliases = aliases,
            CacheWriteOneHour = writeOneHour,
            SameModelAs = string.IsNullOrWhiteSpace(sameAs) ? null : sameAs.Trim(),
        };
    }

    private static DateOnly? Date(JsonObjectReader r, string name)
    {
        if (r.String(name, required: false) is not { } text) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        r.Problem(name, $"must be a date written yyyy-MM-dd; was \"{text}\"");
        return null;
    }

    private static JsonDocument ParseDocument(string json, string sourceName)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidInputException("$", $"{sourceName}: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}");
        }
    }
}
