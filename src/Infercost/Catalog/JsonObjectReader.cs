using System.Text.Json;

namespace Infercost.Catalog;

// A thin view over one JSON object that knows its own path and reports into a shared problem list
// instead of throwing. Every getter returns null when the value is missing or wrong, having recorded
// why, so a loader can read a whole entry and then decide whether to build it.

/// <summary>Reads typed, range-checked fields of one JSON object, recording problems with their paths.</summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly CatalogProblems _problems;

    /// <summary>Wraps <paramref name="element"/>, an object found at <paramref name="path"/>.</summary>
    public JsonObjectReader(JsonElement element, string path, CatalogProblems problems)
    {
        _element = element;
        Path = path;
        _problems = problems;
    }

    /// <summary>JSON path of this object (<c>models[2]</c>, <c>models[2].moe</c>; empty for the root).</summary>
    public string Path { get; }

    /// <summary>The path of a field of this object.</summary>
    public string PathOf(string name) => Path.Length == 0 ? name : $"{Path}.{name}";

    /// <summary>A reader for <paramref name="element"/>, found at <paramref name="path"/>, sharing this reader's problem list.</summary>
    public JsonObjectReader At(JsonElement element, string path) => new(element, path, _problems);

    /// <summary>Records a problem at field <paramref name="name"/>.</summary>
    public void Problem(string name, string message) => _problems.Add(PathOf(name), message);

    /// <summary>True when the field is present with a non-null value.</summary>
    public bool Has(string name) => _element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>The raw value of a present, non-null field.</summary>
    public bool TryGet(string name, out JsonElement value) =>
        _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>Records every field not in <paramref name="accepted"/> as unknown.</summary>
    public void RejectUnknown(IReadOnlyList<string> accepted)
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!accepted.Contains(property.Name, StringComparer.Ordinal))
                Problem(property.Name, $"unknown field; accepted: {string.Join(", ", accepted)}");
        }
    }

    /// <summary>A string field; null (and a problem when <paramref name="required"/>) if missing.</summary>
    public string? String(string name, bool required = true)
    {
        if (!Present(name, required, out var v)) return null;
        if (v.ValueKind != JsonValueKind.String) return Wrong(name, "must be a string", v);
        var s = v.GetString()!;
        if (string.IsNullOrWhiteSpace(s)) return Wrong(name, "must not be empty", v);
        return s;
    }

    /// <summary>An integer field in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    public int? Int(string name, int low, int high, bool required = true)
    {
        if (!Present(name, required, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Number)
            return WrongInt(name, LenientJson.IsNonFinite(v) ? $"must be a finite integer in [{low}, {high}]" : "must be an integer", v);
        if (!v.TryGetInt32(out var i))
        {
            return v.TryGetDouble(out var d) && d == Math.Floor(d)
                ? WrongInt(name, $"must be in [{low}, {high}]", v)
                : WrongInt(name, "must be an integer", v);
        }

        if (i < low || i > high) return WrongInt(name, $"must be in [{low}, {high}]", v);
        return i;
    }

    /// <summary>A finite number strictly greater than zero and at most <paramref name="high"/>.</summary>
    public double? Positive(string name, bool required = true, double high = double.MaxValue)
    {
        if (!Present(name, required, out var v)) return null;
        if (Number(name, v) is not { } d) return null;
        if (d <= 0) return WrongDouble(name, "must be > 0", v);
        if (d > high) return WrongDouble(name, $"must be <= {Guard.Format(high)}", v);
        return d;
    }

    /// <summary>The first of <paramref name="names"/> present with a non-null value, or null.</summary>
    public string? FirstPresent(params ReadOnlySpan<string> names)
    {
        foreach (var n in names)
        {
            if (Has(n)) return n;
        }

        return null;
    }

    /// <summary>The underlying element.</summary>
    public JsonElement Element => _element;

    /// <summary>A boolean field; <paramref name="fallback"/> when absent or null.</summary>
    public bool Bool(string name, bool fallback = false)
    {
        if (!TryGet(name, out var v)) return fallback;
        if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
        Problem(name, $"must be true or false; was {Raw(v)}");
        return fallback;
    }

    /// <summary>A nested object; null when absent, null or not an object.</summary>
    public JsonObjectReader? Object(string name, bool required = true)
    {
        if (!Present(name, required, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Object)
        {
            Problem(name, $"must be an object; was {Raw(v)}");
            return null;
        }

        return new JsonObjectReader(v, PathOf(name), _problems);
    }

    /// <summary>An array of non-empty strings.</summary>
    public IReadOnlyList<string>? Strings(string name, bool required = true, bool allowEmpty = true)
    {
        if (!Present(name, required, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Array)
        {
            Problem(name, $"must be an array of strings; was {Raw(v)}");
            return null;
        }

        var list = new List<string>();
        var i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
                list.Add(item.GetString()!);
            else
                _problems.Add($"{PathOf(name)}[{i}]", $"must be a non-empty string; was {Raw(item)}");
            i++;
        }

        if (!allowEmpty && list.Count == 0 && i == 0) Problem(name, "must list at least one entry; was []");
        return list;
    }

    /// <summary>The JSON text of a value, shortened for messages.</summary>
    public static string Raw(JsonElement value)
    {
        if (LenientJson.IsNonFinite(value)) return LenientJson.Literal(value);
        var text = value.GetRawText();
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    private bool Present(string name, bool required, out JsonElement value)
    {
        if (_element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) return true;
        if (required)
            Problem(name, _element.TryGetProperty(name, out _) ? "required; was null" : "required field is missing");
        return false;
    }

    private double? Number(string name, JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Number)
        {
            Problem(name, $"must be a number; was {Raw(v)}");
            return null;
        }

        // TryGetDouble fails for values that overflow to infinity (1e400): reject them as non-finite.
        if (v.TryGetDouble(out var d) && double.IsFinite(d)) return d;
        Problem(name, $"must be a finite number; was {Raw(v)}");
        return null;
    }

    private string? Wrong(string name, string rule, JsonElement v)
    {
        Problem(name, $"{rule}; was {Raw(v)}");
        return null;
    }

    private int? WrongInt(string name, string rule, JsonElement v)
    {
        Problem(name, $"{rule}; was {Raw(v)}");
        return null;
    }

    private double? WrongDouble(string name, string rule, JsonElement v)
    {
        Problem(name, $"{rule}; was {Raw(v)}");
        return null;
    }
}
