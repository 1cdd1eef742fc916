using Infercost.Economics.Prices;
using Xunit;

namespace Infercost.Tests.Economics.Prices;

public class PriceCatalogTests
{
    private static PriceCatalog Embedded => PriceCatalog.Embedded;

    [Fact]
    public void Embedded_KeepsEveryCsvRowWithItsSource()
    {
        // Given shared/data/api-prices.csv: 140 rows, one blended-only seed skipped, two rows naming two models each
        // When the embedded catalog loads
        var prices = Embedded.Prices;

        // Then every row is there with a source and a kind of source
        Assert.Equal(141, prices.Count);
        Assert.All(prices, p => Assert.False(string.IsNullOrWhiteSpace(p.Source)));
        Assert.Contains(prices, p => p.ModelId == "claude-opus-4.5" && p.SourceKind == PriceSourceKind.VendorDoc);
    }

    [Theory]
    [InlineData("claude-opus-4.5", 5, 25)]
    [InlineData("claude-sonnet-4.5", 3, 15)]
    [InlineData("gpt-5", 1.25, 10)]
    [InlineData("deepseek-r1", 0.55, 2.19)]
    [InlineData("gpt-5.4-mini", 0.75, 4.5)]
    [InlineData("groq/llama-3.3-70b", 0.59, 0.79)]
    public void Get_NoDate_IsTheBestSupportedCurrentPrice(string id, double input, double output)
    {
        // Given a model some sources price
        // When its current price is asked for
        var price = Embedded.Get(id);

        // Then input and output are the list prices most sources agree on (litellm / vendor docs)
        Assert.Equal(input, price.Input.Value, 9);
        Assert.Equal(output, price.Output.Value, 9);
    }

    [Fact]
    public void Get_Gpt5_PicksLiteLlmOverTheSeedAndSaysItIsDisputed()
    {
        // Given GPT-5: a seed note says $30/$60, litellm and llm-prices say $1.25/$10
        // When the current price is asked for
        var price = Embedded.Get("gpt-5");

        // Then the better-supported $1.25/$10 wins, and the result says the seed disagrees
        Assert.Equal(1.25, price.Input.Value, 9);
        Assert.Equal(PriceSourceKind.LiteLlmCurrent, price.SourceKind);
        Assert.True(price.Disputed);
        Assert.Contains("seed-note: $30 in / $60 out", price.DisputedBy);
    }

    [Fact]
    public void Get_Opus45_PicksTheVendorDocsAndListsBothDisagreeingSources()
    {
        // Given Claude Opus 4.5: a seed note and a third-party page say $15/$75; Anthropic's docs, litellm and others say $5/$25
        // When the current price is asked for
        var price = Embedded.Get("claude-opus-4.5");

        // Then $5/$25 from Anthropic's pricing docs wins and both dissenters are named
        Assert.Equal(5, price.Input.Value, 9);
        Assert.Equal(25, price.Output.Value, 9);
        Assert.Equal("anthropic-pricing-docs", price.SourceId);
        Assert.True(price.Disputed);
        Assert.Contains("seed-note: $15 in / $75 out", price.DisputedBy);
        Assert.Contains(price.DisputedBy, d => d.StartsWith("someclaudeskills-pricing: $15 in / $75 out", StringComparison.Ordinal));
    }

    [Fact]
    public void Get_WithSource_ReadsOnlyThatSource()
    {
        // Given GPT-5's seed row
        // When the price is asked for from the seed only
        var price = Embedded.Get("gpt-5", source: "seed-note");

        // Then the seed's $30/$60 comes back, as given
        Assert.Equal(30, price.Input.Value, 9);
        Assert.Equal(60, price.Output.Value, 9);
    }

    [Theory]
    [InlineData("2024-06-01", 5, 15)]     // GPT-4o launched 2024-05-13 at $5/$15
    [InlineData("2024-08-06", 2.5, 10)]   // the 2024-08-06 snapshot cut it to $2.50/$10
    [InlineData("2026-08-01", 2.5, 10)]
    public void Get_OnDate_IsTheLatestRowInEffectOnOrBeforeIt(string day, double input, double output)
    {
        // Given GPT-4o's dated rows
        // When the price on a date is asked for
        var price = Embedded.Get("gpt-4o", DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture));

        // Then the latest price in effect on that day answers
        Assert.Equal(input, price.Input.Value, 9);
        Assert.Equal(output, price.Output.Value, 9);
    }

    [Fact]
    public void Get_DeepSeekChat_FollowsThePromoThenV3ThenV32Prices()
    {
        // Given deepseek-chat: a promo price until 2025-02-08, V3 pricing from then, V3.2 pricing from 2026-01-14
        static double InputOn(string d) => Embedded.Get("deepseek-chat", DateOnly.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).Input.Value;

        // Then each date reads its own price
        Assert.Equal(0.14, InputOn("2025-02-07"), 9);
        Assert.Equal(0.27, InputOn("2025-06-01"), 9);
        Assert.Equal(0.28, InputOn("2026-02-01"), 9);
        Assert.Equal(0.28, Embedded.Get("deepseek-chat").Input.Value, 9);
    }

    [Fact]
    public void Get_Gpt35OnLaunchMonth_SourcesDisagree_LaunchArticleWinsTheTie()
    {
        // Given GPT-3.5 Turbo in March 2023: the launch article says $2/$2, litellm's 0301 snapshot $1.50/$2
        var price = Embedded.Get("gpt-3.5-turbo", new DateOnly(2023, 3, 15));

        // Then one source each: the launch article outranks a later litellm snapshot, and the answer is disputed
        Assert.Equal(2, price.Input.Value, 9);
        Assert.True(price.Disputed);
    }

    [Fact]
    public void Get_BeforeAnyDatedRow_SaysWhereTheHistoryStarts()
    {
        // Given GPT-5, first priced 2025-08-07
        // When its price in 2020 is asked for
        var e = Assert.Throws<InvalidInputException>(() => Embedded.Get("gpt-5", new DateOnly(2020, 1, 1)));

        // Then the message says when the dated prices start
        Assert.Equal("no price for gpt-5 on 2020-01-01; its dated prices start on 2025-08-07.", e.Message);
    }

    [Fact]
    public void Get_HistoryRowSeenAfterItsEnd_DoesNotReachBackToTheBeginningOfTime()
    {
        // Given deepseek-chat's promo price: llm-prices records it (seen 2026-08-05) as ending 2025-02-08 with no start,
        // and litellm's history first saw it on 2025-02-06
        // When its price in 1900 is asked for
        var e = Assert.Throws<InvalidInputException>(() => Embedded.Get("deepseek-chat", new DateOnly(1900, 1, 1)));

        // Then there is none: the promo is in effect only from when a source first saw it
        Assert.Equal("no price for deepseek-chat on 1900-01-01; its dated prices start on 2025-02-06.", e.Message);
        Assert.Empty(Embedded.On(new DateOnly(1900, 1, 1)));
        Assert.Equal(0.14, Embedded.Get("deepseek-chat", new DateOnly(2025, 2, 6)).Input.Value, 9);
        Assert.Throws<InvalidInputException>(() => Embedded.Get("deepseek-chat", new DateOnly(2025, 2, 5)));
    }

    [Fact]
    public void Get_HistoryRowWithNoCorroboratedStart_AnswersNoDatedQuestion()
    {
        // Given a user file with one history row: a price seen in 2026 that ended in 2024, and nothing else
        var catalog = PriceCatalog.Parse("""
            {"prices": [{"model": "m", "inputUsdPerMTok": 1, "outputUsdPerMTok": 2, "effectiveUntil": "2024-01-01", "observedOn": "2026-01-01"}]}
            """, "test");

        // Then it is not in effect on any date: its start is unknown
        Assert.Throws<InvalidInputException>(() => catalog.Get("m", new DateOnly(2023, 6, 1)));
        Assert.Empty(catalog.On(new DateOnly(1900, 1, 1)));
    }

    [Fact]
    public void Get_DeepSeekV32AndDeepSeekChat_SameModelAtTwoPrices_BothAreDisputed()
    {
        // Given litellm's deepseek-v3.2 key ($0.28/$0.40) and deepseek-chat, V3.2 non-thinking since 2026-01-14 ($0.28/$0.42)
        var day = new DateOnly(2026, 7, 20);
        var v32 = Embedded.Get("deepseek-v3.2", day);
        var chat = Embedded.Get("deepseek-chat", day);

        // Then each answer says the other id, the same model, gives another price
        Assert.True(v32.Disputed);
        Assert.Contains(v32.DisputedBy, d => d.StartsWith("deepseek-chat (same model", StringComparison.Ordinal) && d.Contains("$0.42 out", StringComparison.Ordinal));
        Assert.True(chat.Disputed);
        Assert.Contains(chat.DisputedBy, d => d.StartsWith("deepseek-v3.2 (same model", StringComparison.Ordinal) && d.Contains("$0.4 out", StringComparison.Ordinal));
        Assert.True(Embedded.On(day).Single(p => p.ModelId == "deepseek-v3.2").Disputed);

        // And before V3.2 pricing reached deepseek-chat, it disagrees too (V3's $1.10 output against $0.40)
        Assert.True(Embedded.Get("deepseek-v3.2", new DateOnly(2025, 12, 20)).Disputed);
    }

    [Fact]
    public void Get_UnknownId_SuggestsTheClosestIds()
    {
        var e = Assert.Throws<InvalidInputException>(() => Embedded.Get("claude-sonet-4.5"));
        Assert.StartsWith("unknown priced model 'claude-sonet-4.5'; did you mean claude-sonnet-4.5", e.Message, StringComparison.Ordinal);
        Assert.Equal("model", e.Field);
    }

    [Fact]
    public void Get_LiteLlmKey_IsAnAlias()
    {
        // Given litellm's key for Sonnet 4.5
        // Then it resolves to the catalog id
        Assert.Equal("claude-sonnet-4.5", Embedded.Get("claude-sonnet-4-5").ModelId);
    }

    [Fact]
    public void Prices_DisputedFlag_MarksDisagreeingRowsOnly()
    {
        // Given the embedded rows
        var opus = Embedded.History("claude-opus-4.5");
        var haiku45 = Embedded.History("claude-haiku-4.5");

        // Then Opus 4.5's current rows are disputed (two sources say $15/$75), Haiku 4.5's are not (all say $1/$5)
        Assert.Contains(opus, p => p.Disputed && p.Input.Value == 15);
        Assert.Contains(opus, p => p.Disputed && p.Input.Value == 5);
        Assert.All(haiku45, p => Assert.False(p.Disputed));
    }

    [Fact]
    public void History_IsOldestFirstWithUndatedRowsLast()
    {
        var history = Embedded.History("gpt-5");
        Assert.Equal(new DateOnly(2025, 8, 7), history[0].AsOf);
        Assert.Null(history[^1].AsOf);
    }

    [Fact]
    public void BillingComponents_ComeFromTheData()
    {
        // Given Claude Sonnet 4.5 in litellm: cache read $0.30, 5-minute cache write $3.75, batch 50%, $6/$22.50 above 200k
        var sonnet = Embedded.Get("claude-sonnet-4.5", source: "litellm");

        Assert.Equal(0.3, sonnet.CachedInputRead!.Value.Value, 9);
        Assert.Equal(3.75, sonnet.CacheWrite!.Value.Value, 9);
        Assert.Equal(0.5, sonnet.BatchDiscount);
        Assert.Equal(200_000, sonnet.LongContextTier!.ThresholdTokens);
        Assert.Equal(6, sonnet.LongContextTier.Input.Value, 9);
        Assert.Equal(22.5, sonnet.LongContextTier.Output.Value, 9);
    }

    [Fact]
    public void Parse_UserCatalog_OverridesAModelOutright()
    {
        // Given a user's price for Sonnet 4.5 (their negotiated rate)
        var user = PriceCatalog.Parse("""{"prices": [{"model": "claude-sonnet-4.5", "inputUsdPerMTok": 2, "outputUsdPerMTok": 10}]}""", "my-prices.json");

        // When it overrides the embedded catalog
        var merged = PriceCatalog.Embedded.WithOverrides(user);
        var price = merged.Get("claude-sonnet-4.5");

        // Then the user's price is the only one for that model, and it is not disputed
        Assert.Equal(2, price.Input.Value, 9);
        Assert.Equal("my-prices.json", price.Source);
        Assert.False(price.Disputed);
        Assert.Single(merged.History("claude-sonnet-4.5"));
        Assert.Equal(5, merged.Get("claude-opus-4.5").Input.Value, 9);
    }

    [Fact]
    public void Parse_BadDocument_ReportsEveryProblemWithItsPath()
    {
        var e = Assert.Throws<InvalidInputException>(() => PriceCatalog.Parse(
            """{"prices": [{"model": "x", "inputUsdPerMTok": -1, "outputUsdPerMTok": "ten", "colour": "red", "batchDiscount": 1.5}]}""", "bad.json"));

        Assert.StartsWith("bad.json: 4 problems", e.Message, StringComparison.Ordinal);
        Assert.Contains("prices[0].colour: unknown field", e.Message, StringComparison.Ordinal);
        Assert.Contains("prices[0].inputUsdPerMTok: must be in [0, 100000]; was -1", e.Message, StringComparison.Ordinal);
        Assert.Contains("prices[0].outputUsdPerMTok: must be a finite number; was \"ten\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("prices[0].batchDiscount: must be a fraction in [0, 1); was 1.5", e.Message, StringComparison.Ordinal);
    }
}
