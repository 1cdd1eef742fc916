using System.Text;

namespace Infercost.Requests;

// A request record's field names are camelCase (gpuPrice, maxBatch, prefillTps); the CLI flag for the same value is
// the kebab-case of that name (--gpu-price, --max-batch, --prefill-tps). The mapping is mechanical in both
// directions, so an error raised in the core about a field can be shown to a CLI user as the flag they typed and to an
// HTTP client as the JSON field they sent, without a table to keep in step. See docs/requests.md.

/// <summary>The mapping between a request field name (camelCase) and its CLI flag (kebab-case).</summary>
public static class RequestFields
{
    private static readonly Lazy<HashSet<string>> LazyNames = new(CollectNames);

    /// <summary>Every field name of every request record in this namespace (camelCase).</summary>
    public static IReadOnlySet<string> Names => LazyNames.Value;

    /// <summary>The kebab-case flag name for <paramref name="field"/>, without dashes: <c>gpuPrice</c> → <c>gpu-price</c>.</summary>
    public static string FlagOf(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var text = new StringBuilder(field.Length + 4);
        foreach (var c in field)
        {
            if (char.IsUpper(c))
            {
                if (text.Length > 0) text.Append('-');
                text.Append(char.ToLowerInvariant(c));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>The camelCase field name for a kebab-case flag (with or without leading dashes): <c>--gpu-price</c> → <c>gpuPrice</c>.</summary>
    public static string FieldOf(string flag)
    {
        ArgumentNullException.ThrowIfNull(flag);
        var parts = flag.TrimStart('-').Split('-', StringSplitOptions.RemoveEmptyEntries);
        var text = new StringBuilder(flag.Length);
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            text.Append(i == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]);
        }

        return text.ToString();
    }

    /// <summary>Renders a message template whose <c>{field}</c> placeholders name request fields, each through
    /// <paramref name="name"/> (the server keeps the field name; the CLI prints <c>--flag</c>).</summary>
    public static string Render(string template, Func<string, string> name)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(name);
        var text = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                text.Append(template, i, template.Length - i);
                break;
            }

            text.Append(template, i, open - i).Append(name(template[(open + 1)..close]));
            i = close + 1;
        }

        return text.ToString();
    }

    /// <summary>An error about <paramref name="field"/> whose message refers to fields by <c>{name}</c>
    /// (<c>"{purchasePrice} applies to owned hardware; add {owned}."</c>). Its message names the fields as the request
    /// does; <see cref="InvalidInputException.Template"/> keeps the placeholders for shells that name them otherwise.</summary>
    public static InvalidInputException Error(string field, string template) =>
        new(field, Render(template, f => f), template);

    private static HashSet<string> CollectNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var requests = typeof(RequestFields).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(RequestFields).Namespace && t.Name.EndsWith("Request", StringComparison.Ordinal));
        foreach (var type in requests)
        {
            foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
            {
                if (property.Name == "EqualityContract") continue;
                names.Add(char.ToLowerInvariant(property.Name[0]) + property.Name[1..]);
            }
        }

        return names;
    }
}
