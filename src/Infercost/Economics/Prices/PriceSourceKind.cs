namespace Infercost.Economics.Prices;

/// <summary>What kind of source a price row comes from; decides which row wins when sources disagree and support ties.</summary>
public enum PriceSourceKind
{
    /// <summary>A catalog the user supplied (their own file or a LiteLLM import).</summary>
    User,

    /// <summary>The provider's own pricing documentation.</summary>
    VendorDoc,

    /// <summary>litellm's price file as of the catalog build.</summary>
    LiteLlmCurrent,

    /// <summary>A launch-day article stating the price at launch.</summary>
    HistoricalLaunch,

    /// <summary>An older snapshot of litellm's price file (the RoCry mirror's history).</summary>
    LiteLlmHistory,

    /// <summary>A third-party table or page.</summary>
    ThirdParty,

    /// <summary>A figure from the project brief, recorded as given.</summary>
    Seed,
}
