using Infercost.Economics.Prices;

namespace Infercost.Requests;

/// <summary>What <c>prices</c> lists (the document <c>prices --json</c> prints).</summary>
/// <param name="OnDate">The date asked about; null for now.</param>
/// <param name="Prices">The rows shown.</param>
public sealed record PricesReport(DateOnly? OnDate, IReadOnlyList<ApiPrice> Prices);

/// <summary>The <c>prices</c> question: API list prices, filtered, on a date, or one model's history.</summary>
public sealed record PricesRequest
{
    /// <summary>Only this provider (case-insensitive substring).</summary>
    public string? Provider { get; init; }

    /// <summary>Only models whose id contains this text.</summary>
    public string? Model { get; init; }

    /// <summary>Every row for one model id, oldest first.</summary>
    public string? History { get; init; }

    /// <summary>Prices as they were on this date (the latest row in effect on or before it).</summary>
    public DateOnly? On { get; init; }

    /// <summary>Answers from <paramref name="prices"/> (the embedded catalog, or the CLI's with a user's files over it).</summary>
    /// <exception cref="InvalidInputException">An unknown history id, a date before every price, or no row matches the filters.</exception>
    public PricesReport Answer(PriceCatalog prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var rows = History is { } id ? prices.History(id) : prices.On(On);
        if (History is null && rows.Count == 0 && On is { } day)
        {
            var first = prices.FirstPricedDay() is { } f ? $"the earliest price in the catalog starts on {f:yyyy-MM-dd}" : "the catalog has no dated prices";
            throw RequestFields.Error("on", $"{{on}} {day:yyyy-MM-dd}: no model has a price in effect on that date; {first}.");
        }

        if (Provider is { } p) rows = [.. rows.Where(r => r.Provider.Contains(p.Trim(), StringComparison.OrdinalIgnoreCase))];
        if (Model is { } m) rows = [.. rows.Where(r => r.ModelId.Contains(m.Trim(), StringComparison.OrdinalIgnoreCase))];
        if (rows.Count == 0) throw new InvalidInputException("model", "no prices match the filters; run 'infercost prices' to list every model.");
        return new PricesReport(On, rows);
    }
}
