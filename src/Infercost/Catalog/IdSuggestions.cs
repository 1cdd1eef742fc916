namespace Infercost.Catalog;

/// <summary>Finds the known ids closest to a mistyped one, by Levenshtein edit distance.</summary>
internal static class IdSuggestions
{
    private const int MaxSuggestions = 3;

    /// <summary>Up to three ids for a mistyped <paramref name="typed"/>. Ids that the typed text begins (an unfinished
    /// id such as <c>nvidia-h100</c>) come first, shortest first. Otherwise the ids within two edits of the best match,
    /// closest first; none when even the best is too far to be a typo (more than half the typed length, at least 3).</summary>
    public static IReadOnlyList<string> Closest(string typed, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(known);
        var needle = typed.Trim().ToLowerInvariant();
        var ids = known.ToList();
        var completions = ids
            .Where(id => needle.Length > 0 && id.StartsWith(needle, StringComparison.OrdinalIgnoreCase))
            .OrderBy(id => id.Length)
            .ThenBy(id => id, StringComparer.Ordinal)
            .Take(MaxSuggestions)
            .ToList();
        if (completions.Count > 0) return completions;

        var scored = ids
            .Select(id => (Id: id, Distance: Distance(needle, id.ToLowerInvariant())))
            .OrderBy(x => x.Distance)
            .ThenBy(x => x.Id, StringComparer.Ordinal)
            .ToList();
        if (scored.Count == 0) return [];
        var best = scored[0].Distance;
        if (best > Math.Max(3, needle.Length / 2)) return [];
        return scored.Where(x => x.Distance <= best + 2).Take(MaxSuggestions).Select(x => x.Id).ToList();
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions each cost one.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
