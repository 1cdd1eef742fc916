using System.Globalization;
using Infercost.Quantities;

namespace Infercost.Economics.PriceCurves;

/// <summary>Reads dated prices from CSV text: <c>date,price[,label]</c>, one point a line.</summary>
/// <remarks>Dates are ISO (<c>2024-10-03</c>); prices are $/MTok, invariant culture. A first line whose first field is
/// not a date is a header. Blank lines and lines starting with <c>#</c> are skipped. The label is the rest of the line
/// and may contain commas. Reading the file is the caller's business: this takes its text.</remarks>
public static class PricePointsCsv
{
    /// <summary>Parses <paramref name="text"/>; <paramref name="sourceName"/> prefixes every error (<c>file.csv:3: …</c>).</summary>
    /// <exception cref="InvalidInputException">A malformed line; the message names the source and line number.</exception>
    public static IReadOnlyList<PricePoint> Parse(string text, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var points = new List<PricePoint>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var fields = line.Split(',', 3, StringSplitOptions.TrimEntries);
            var where = $"{sourceName}:{i + 1}";
            if (!DateOnly.TryParseExact(fields[0], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                if (points.Count == 0 && !fields[0].Any(char.IsDigit)) continue; // header
                throw new InvalidInputException("points", $"{where}: date must be yyyy-MM-dd; was '{fields[0]}'.");
            }

            if (fields.Length < 2 || !double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var price) || !double.IsFinite(price))
                throw new InvalidInputException("points", $"{where}: price must be a number ($/MTok); was '{(fields.Length < 2 ? "" : fields[1])}'.");
            if (price <= 0)
                throw new InvalidInputException("points", $"{where}: price must be > 0; was {Guard.Format(price)}.");
            var label = fields.Length > 2 && fields[2].Length > 0 ? fields[2] : null;
            points.Add(new PricePoint(date, DollarsPerMillionTokens.FromDollarsPerMillionTokens(price), label));
        }

        return points;
    }
}
