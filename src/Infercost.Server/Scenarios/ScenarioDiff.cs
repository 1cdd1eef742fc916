using System.Globalization;
using System.Text.Json;

namespace Infercost.Server.Scenarios;

/// <summary>One value that differs between two scenarios.</summary>
/// <param name="Path">JSON path of the leaf (<c>cost.outputPerMillion</c>, <c>rows[3].batch</c>).</param>
/// <param name="A">The value in the first scenario (null when absent there).</param>
/// <param name="B">The value in the second.</param>
/// <param name="Change">For two numbers: (B − A) / |A|; null otherwise or when A is 0.</param>
public sealed record ValueChange(string Path, JsonElement? A, JsonElement? B, double? Change);

/// <summary>What differs between two scenarios: their inputs and their results, leaf by leaf.</summary>
/// <param name="A">The first scenario.</param>
/// <param name="B">The second.</param>
/// <param name="Inputs">Inputs that differ.</param>
/// <param name="Results">Results that differ.</param>
public sealed record ScenarioComparison(ScenarioSummary A, ScenarioSummary B, IReadOnlyList<ValueChange> Inputs, IReadOnlyList<ValueChange> Results);

/// <summary>Leaf-by-leaf differences of two JSON documents.</summary>
public static class ScenarioDiff
{
    /// <summary>Compares <paramref name="a"/> with <paramref name="b"/>.</summary>
    public static ScenarioComparison Compare(Scenario a, Scenario b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return new ScenarioComparison(Summary(a), Summary(b), Changes(a.Inputs, b.Inputs), Changes(a.Result, b.Result));
    }

    /// <summary>Every leaf path whose value differs (or exists on one side only), in document order of A then B.</summary>
    public static IReadOnlyList<ValueChange> Changes(JsonElement a, JsonElement b)
    {
        var left = Flatten(a);
        var right = Flatten(b);
        var changes = new List<ValueChange>();
        foreach (var (path, value) in left)
        {
            if (!right.TryGetValue(path, out var other)) changes.Add(new ValueChange(path, value, null, null));
            else if (value.GetRawText() != other.GetRawText()) changes.Add(new ValueChange(path, value, other, Relative(value, other)));
        }

        changes.AddRange(right.Where(r => !left.ContainsKey(r.Key)).Select(r => new ValueChange(r.Key, null, r.Value, null)));
        return changes;
    }

    private static ScenarioSummary Summary(Scenario s) => new(s.Id, s.Name, s.Question, s.EngineVersion, s.CreatedAt, s.UpdatedAt);

    private static double? Relative(JsonElement a, JsonElement b) =>
        a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number && a.GetDouble() != 0
            ? (b.GetDouble() - a.GetDouble()) / Math.Abs(a.GetDouble())
            : null;

    private static Dictionary<string, JsonElement> Flatten(JsonElement root)
    {
        var leaves = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        Walk(root, "", leaves);
        return leaves;
    }

    private static void Walk(JsonElement element, string path, Dictionary<string, JsonElement> leaves)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject()) Walk(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name, leaves);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Walk(item, path + "[" + (i++).ToString(CultureInfo.InvariantCulture) + "]", leaves);
                break;
            default:
                leaves[path] = element.Clone();
                break;
        }
    }
}
