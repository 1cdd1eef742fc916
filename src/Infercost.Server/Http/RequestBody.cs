using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Infercost.Serialization;
using Microsoft.Extensions.Options;

namespace Infercost.Server.Http;

// Request bodies are read here rather than by minimal-API binding so that every way a body can be wrong (not JSON,
// too big, an unknown field, a value of the wrong type) becomes the same 400 ProblemDetails naming the field, the
// expected form and the value given — the shape the core's own validation errors have.

/// <summary>Reads a request record from a JSON body: size-bounded, unknown fields rejected.</summary>
internal static class RequestBody
{
    /// <summary>The options request bodies are read with: <see cref="InfercostJson.Options"/>, unknown members disallowed.</summary>
    public static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>The request, or the problem to answer instead.</summary>
    public static async Task<(T? Request, IResult? Problem)> ReadAsync<T>(HttpContext context) where T : class
    {
        var (request, problem) = await ReadAsync(context, typeof(T)).ConfigureAwait(false);
        return ((T?)request, problem);
    }

    /// <summary>A request of <paramref name="type"/>, or the problem to answer instead.</summary>
    public static async Task<(object? Request, IResult? Problem)> ReadAsync(HttpContext context, Type type)
    {
        var http = context.Request;
        if (!(http.ContentType ?? "").StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "send the request as a JSON body with Content-Type: application/json."));
        }

        var limit = context.RequestServices.GetRequiredService<IOptions<ServerSettings>>().Value.MaxRequestBodyBytes;
        if (http.ContentLength > limit) return (null, TooLarge(limit));
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) return (null, TooLarge(limit));
            buffer.Write(chunk, 0, read);
        }

        var body = buffer.ToArray();
        try
        {
            var request = JsonSerializer.Deserialize(body, type, Options);
            return request is null ? (null, Problems.Invalid("body", "body must be a JSON object; was null.")) : (request, null);
        }
        catch (JsonException e)
        {
            return (null, Describe(type, e, body));
        }
    }

    private static IResult TooLarge(long limit) =>
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Request body too large", $"the body must be at most {limit} bytes.");

    // "$.gpus" → gpus; an unknown member is named in the message; a value of the wrong type gets the expected form.
    private static IResult Describe(Type type, JsonException e, byte[] body)
    {
        if (!WellFormed(body)) return Problems.Invalid("body", $"body must be well-formed JSON; {FirstSentence(e.Message)}");
        var path = e.Path ?? "$";
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "";
        var unknown = UnknownMember(e.Message);
        if (unknown is not null) return Problems.Invalid(unknown, $"{unknown} is not a field of this request; see the OpenAPI document at /openapi/v1.json.");
        if (field.Length == 0) return Problems.Invalid("body", $"body must be a JSON object; {FirstSentence(e.Message)}");
        var name = field.Split('[', '.')[0];
        var property = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        var expected = property is null ? "a valid value" : Expected(property.PropertyType);
        return Problems.Invalid(name, $"{name} must be {expected}; was {ValueAt(body, name)}.");
    }

    private static bool WellFormed(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Expected(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(int) || t == typeof(long)) return "a whole number";
        if (t == typeof(double)) return "a finite number";
        if (t == typeof(bool)) return "true or false";
        if (t == typeof(string)) return "a string";
        if (t == typeof(Requests.NumberRange)) return "a number or a string \"LOW..HIGH\"";
        if (t == typeof(Precision)) return "one of " + string.Join(", ", Enum.GetValues<Precision>().Select(p => p.Name()));
        if (t.IsAssignableTo(typeof(System.Collections.IEnumerable))) return "a list";
        return "a valid value";
    }

    private static string ValueAt(byte[] body, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    var raw = property.Value.GetRawText();
                    return raw.Length > 80 ? raw[..80] + "…" : raw;
                }
            }
        }
        catch (JsonException)
        {
            // Not well-formed JSON: say so below.
        }

        return "not well-formed JSON";
    }

    private static string? UnknownMember(string message)
    {
        const string marker = "The JSON property '";
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0 || !message.Contains("could not be mapped", StringComparison.Ordinal)) return null;
        start += marker.Length;
        var end = message.IndexOf('\'', start);
        return end < 0 ? null : message[start..end];
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(InfercostJson.Options)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            // Bodies are parsed once and discarded: bound their depth as well as their size.
            MaxDepth = 16,
        };
        options.MakeReadOnly();
        return options;
    }
}
