namespace Infercost.Economics.Prices;

// The rules that turn a model's rows into one answer for a date, kept apart from the catalog's storage so they can
// be read (and tested through the catalog) in one place. See docs/economics.md#price-catalog.
//
// 1. In effect on D: a dated row whose start (EffectiveFrom, else ObservedOn) is on or before D and whose
//    EffectiveUntil, if any, is after D. A row seen only after its stated end (a history entry) has no start of its
//    own: it starts where another row of the model giving the same price was first seen, and with no such row it
//    answers no dated question (it does not reach back to the beginning of time). With no date asked, every row not
//    known to have ended is in effect, undated rows included. Undated rows never answer a dated question.
// 2. Latest per source: of each source's rows in effect, only the latest (litellm's current file and its history
//    mirror count as one source). A source's undated rows all stay.
// 3. Superseded: a dated row older than the latest stated price change (the largest EffectiveFrom in effect)
//    describes the old price and drops out.
// 4. Best: the price the most sources agree on; ties go to the better kind of source (user, vendor docs, litellm
//    current, launch article, litellm history, third party, seed), then the later date, then file order.
// 5. Disputed: some remaining row gives a different input, output or (where both give one) cached-input price.

/// <summary>Picks the row that answers "what did this model cost on date D" and says whether sources disagree.</summary>
internal static class PriceResolution
{
    private const double Tolerance = 1e-9;

    /// <summary>The rows that speak for <paramref name="rows"/>' model on <paramref name="date"/> (null: now, undated rows included).</summary>
    public static List<ApiPrice> Candidates(IReadOnlyList<ApiPrice> rows, DateOnly? date)
    {
        var eligible = rows.Where(r => InEffect(r, rows, date)).ToList();
        var kept = new List<ApiPrice>();
        foreach (var family in eligible.GroupBy(Family, StringComparer.OrdinalIgnoreCase))
        {
            var dated = family.Where(r => Start(r, rows) is not null).ToList();
            if (dated.Count > 0)
            {
                var latest = dated.Max(r => Start(r, rows)!.Value);
                kept.AddRange(dated.Where(r => Start(r, rows) == latest));
            }

            kept.AddRange(family.Where(r => Start(r, rows) is null));
        }

        var change = eligible.Where(r => r.EffectiveFrom is not null).Select(r => r.EffectiveFrom!.Value).DefaultIfEmpty().Max();
        kept.RemoveAll(r => Start(r, rows) is { } s && s < change);
        kept.Sort((a, b) => IndexOf(rows, a).CompareTo(IndexOf(rows, b)));
        return kept;
    }

    /// <summary>The best-supported row among <paramref name="candidates"/>, with <see cref="ApiPrice.Disputed"/> and
    /// <see cref="ApiPrice.DisputedBy"/> filled in.</summary>
    public static ApiPrice Best(IReadOnlyList<ApiPrice> candidates, IReadOnlyList<ApiPrice> fileOrder)
    {
        var best = candidates
            .OrderByDescending(r => Support(r, candidates))
            .ThenBy(r => (int)r.SourceKind)
            .ThenByDescending(r => Start(r, fileOrder) ?? DateOnly.MinValue)
            .ThenBy(r => IndexOf(fileOrder, r))
            .First();
        return WithDispute(best, candidates);
    }

    /// <summary><paramref name="row"/> with its dispute against <paramref name="others"/> recorded.</summary>
    public static ApiPrice WithDispute(ApiPrice row, IEnumerable<ApiPrice> others)
    {
        var against = others
            .Where(o => !SamePrice(o, row))
            .Select(o => $"{o.SourceId}: {o.Summary}" + (o.CachedInputRead is { } c && !Close(c.Value, row.CachedInputOrInput.Value)
                ? $", cached ${Guard.Format(c.Value)}"
                : ""))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return row with { Disputed = against.Count > 0, DisputedBy = against };
    }

    /// <summary>Whether the row is in force on <paramref name="date"/> (rule 1).</summary>
    public static bool InEffect(ApiPrice row, IReadOnlyList<ApiPrice> rows, DateOnly? date)
    {
        if (date is not { } d) return row.EffectiveUntil is null;
        if (Start(row, rows) is not { } start) return false;
        return start <= d && (row.EffectiveUntil is not { } until || d < until);
    }

    /// <summary>The first day a row is known to apply: EffectiveFrom, else ObservedOn. A row observed only after its
    /// stated end (a history entry) starts on the earliest known start of another of <paramref name="rows"/> giving the
    /// same price; null (no dated answer) when none does.</summary>
    public static DateOnly? Start(ApiPrice row, IReadOnlyList<ApiPrice> rows)
    {
        if (OwnStart(row) is { } own) return own;
        if (row.EffectiveUntil is null) return null;
        return rows.Where(o => !ReferenceEquals(o, row) && SamePrice(o, row))
            .Select(OwnStart)
            .Where(s => s is { } d && d < row.EffectiveUntil)
            .Min();
    }

    // A start the row states itself: EffectiveFrom, or ObservedOn while the price was still running.
    private static DateOnly? OwnStart(ApiPrice row)
    {
        if (row.EffectiveFrom is { } from) return from;
        if (row.EffectiveUntil is { } until && (row.ObservedOn is null || row.ObservedOn >= until)) return null;
        return row.ObservedOn;
    }

    /// <summary>Two rows state the same price: input and output agree, and cached input where both give it.</summary>
    public static bool SamePrice(ApiPrice a, ApiPrice b) =>
        Close(a.Input.Value, b.Input.Value) && Close(a.Output.Value, b.Output.Value)
        && (a.CachedInputRead is not { } ca || b.CachedInputRead is not { } cb || Close(ca.Value, cb.Value));

    /// <summary>Rows from one source family count once: litellm's current file and its history mirror are one source.</summary>
    public static string Family(ApiPrice row) =>
        row.SourceId.StartsWith("litellm", StringComparison.OrdinalIgnoreCase) ? "litellm" : row.SourceId;

    private static int Support(ApiPrice row, IReadOnlyList<ApiPrice> candidates) =>
        candidates.Where(c => SamePrice(c, row)).Select(Family).Distinct(StringComparer.OrdinalIgnoreCase).Count();

    private static bool Close(double a, double b) => Math.Abs(a - b) <= Tolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    private static int IndexOf(IReadOnlyList<ApiPrice> rows, ApiPrice row)
    {
        for (var i = 0; i < rows.Count; i++)
        {
            if (ReferenceEquals(rows[i], row)) return i;
        }

        return int.MaxValue;
    }
}
