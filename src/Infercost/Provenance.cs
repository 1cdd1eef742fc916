namespace Infercost;

/// <summary>Where a catalog entry's figures come from and when they were true.</summary>
/// <param name="Sources">Source identifiers (see docs/catalog.md), for example <c>aiconfigurator-systems</c>.</param>
/// <param name="AsOf">The date the figures were observed or published, ISO 8601 (<c>2026-08-21</c> or <c>2026-08</c>).</param>
/// <param name="Notes">Caveats and disagreements between sources.</param>
public sealed record Provenance(IReadOnlyList<string> Sources, string AsOf, IReadOnlyList<string> Notes)
{
    /// <summary>Provenance for a value the user supplied on the command line or in their own file.</summary>
    public static Provenance User(string what) => new([what], "user-supplied", []);
}
