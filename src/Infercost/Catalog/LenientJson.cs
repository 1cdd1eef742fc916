using System.Text;
using System.Text.Json;

namespace Infercost.Catalog;

// Python's json module writes float('inf') and float('nan') as the bare words Infinity and NaN, and some published
// config.json files carry them (a window or a cap that means "no limit"). System.Text.Json refuses them outright, so
// the text is rewritten first: each bare literal outside a string becomes a string holding a marker character and the
// word. Readers then see a value that is not a number; the fields where "no limit" makes sense accept it, every other
// numeric field reports it with its JSON path.

/// <summary>Parses JSON that may contain the non-standard literals <c>Infinity</c>, <c>-Infinity</c> and <c>NaN</c>.</summary>
internal static class LenientJson
{
    /// <summary>Prefix of the string a bare non-finite literal is turned into.</summary>
    public const char Marker = '\u0001';

    /// <summary>Parses <paramref name="json"/>; malformed JSON is reported with its 1-based line and column.</summary>
    /// <exception cref="InvalidInputException">The text is not JSON (apart from the three literals).</exception>
    public static JsonDocument Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        var text = Rewrite(json);
        try
        {
            return JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            var reason = e.Message;
            var cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut];
            throw new InvalidInputException("$", $"{sourceName}: not valid JSON at line {line}, column {column}: {reason}");
        }
    }

    /// <summary>True when <paramref name="value"/> is a bare <c>Infinity</c> or <c>-Infinity</c> literal from the file.</summary>
    public static bool IsInfinity(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { } s && s.Length > 1 && s[0] == Marker && s.EndsWith("Infinity", StringComparison.Ordinal);

    /// <summary>True when <paramref name="value"/> is any of the non-standard literals.</summary>
    public static bool IsNonFinite(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 1 } s && s[0] == Marker;

    /// <summary>The literal as the file wrote it (<c>Infinity</c>, <c>-Infinity</c>, <c>NaN</c>).</summary>
    public static string Literal(JsonElement value) => value.GetString()![1..];

    private static string Rewrite(string json)
    {
        if (!json.Contains("Infinity", StringComparison.Ordinal) && !json.Contains("NaN", StringComparison.Ordinal)) return json;
        var sb = new StringBuilder(json.Length + 16);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\' && i + 1 < json.Length) sb.Append(json[++i]);
                else if (c == '"') inString = false;
                continue;
            }

            if (c == '"')
            {
                inString = true;
                sb.Append(c);
                continue;
            }

            var word = Word(json, i);
            if (word is not null)
            {
                sb.Append('"').Append("\\u0001").Append(word).Append('"');
                i += word.Length - 1;
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string? Word(string json, int i)
    {
        foreach (var w in (ReadOnlySpan<string>)["-Infinity", "Infinity", "NaN"])
        {
            if (string.CompareOrdinal(json, i, w, 0, w.Length) != 0) continue;
            var end = i + w.Length;
            if (end < json.Length && char.IsLetterOrDigit(json[end])) continue;
            if (i > 0 && (char.IsLetterOrDigit(json[i - 1]) || json[i - 1] == '.')) continue;
            return w;
        }

        return null;
    }
}
