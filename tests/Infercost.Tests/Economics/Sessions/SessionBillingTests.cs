using Infercost.Economics.Prices;
using Infercost.Economics.Sessions;
using Infercost.Economics.Workloads;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Economics.Sessions;

public class SessionBillingTests
{
    private static DollarsPerMillionTokens P(double v) => DollarsPerMillionTokens.FromDollarsPerMillionTokens(v);

    // Sonnet-class rates: $3 in, $0.30 read, $3.75 5-minute write, $6 1-hour write, $15 out.
    private static readonly PriceSheet Sheet = new("test", P(3), P(0.3), P(3.75), P(15), null, null, "test") { CacheWriteOneHour = P(6) };

    private static AgentSession TwoTurns(double gapSeconds) =>
        AgentSession.Uniform(10_000, 2, 1000, 500, 0, [Seconds.FromSeconds(gapSeconds)]);

    // Source: Anthropic's pricing page (platform.claude.com/docs/en/about-claude/pricing, catalog source
    // anthropic-pricing-docs, and litellm's rows): a 5-minute cache write costs 1.25 × the input price, a 1-hour write
    // 2 ×, a cache read 0.1 ×. The catalog's Anthropic rows obey those rules.
    [Theory]
    [InlineData("claude-opus-4.5")]
    [InlineData("claude-sonnet-4.5")]
    [InlineData("claude-haiku-4.5")]
    [InlineData("claude-sonnet-4")]
    public void AnthropicRows_FollowThePublishedCacheMultipliers(string model)
    {
        var sheet = PriceSheet.FromApi(PriceCatalog.Embedded.Get(model));
        Assert.Equal(1.25 * sheet.Input.Value, sheet.CacheWrite.Value, 1e-9);
        Assert.Equal(2.0 * sheet.Input.Value, sheet.CacheWriteOneHour!.Value.Value, 1e-9);
        Assert.Equal(0.1 * sheet.Input.Value, sheet.CachedInput.Value, 1e-9);
    }

    [Fact]
    public void GapWithinTtl_ReadsWhatThePreviousRequestCached_WritesTheRest()
    {
        var bill = SessionBilling.Bill(TwoTurns(60), Sheet, new CachePolicy(CacheTtl.FiveMinutes));

        // Turn 1: 11,000 written at $3.75 + 500 out at $15
        Assert.Equal((11_000 * 3.75e-6) + (500 * 15e-6), bill.Requests[0].Cost.Value, 1e-12);

        // Turn 2: prompt 10,000 + 1,500 history + 1,000 = 12,500; 11,000 read at $0.30, 1,500 written at $3.75
        var t2 = bill.Requests[1];
        Assert.Equal(12_500, t2.PromptTokens);
        Assert.Equal(11_000, t2.CacheRead);
        Assert.Equal(1_500, t2.CacheWrite);
        Assert.Equal((11_000 * 0.3e-6) + (1_500 * 3.75e-6) + (500 * 15e-6), t2.Cost.Value, 1e-12);
        Assert.Equal(0, bill.CacheMisses);
    }

    [Fact]
    public void GapPastFiveMinutes_MissesAndRewritesTheWholePrompt_OneHourStillHits()
    {
        var fiveMinutes = SessionBilling.Bill(TwoTurns(400), Sheet, new CachePolicy(CacheTtl.FiveMinutes));
        var oneHour = SessionBilling.Bill(TwoTurns(400), Sheet, new CachePolicy(CacheTtl.OneHour));

        Assert.Equal(1, fiveMinutes.CacheMisses);
        Assert.Equal(12_500, fiveMinutes.Requests[1].CacheWrite);
        Assert.Equal((12_500 * 3.75e-6) + (500 * 15e-6), fiveMinutes.Requests[1].Cost.Value, 1e-12);

        Assert.Equal(0, oneHour.CacheMisses);
        Assert.Equal((11_000 * 6e-6) + (500 * 15e-6), oneHour.Requests[0].Cost.Value, 1e-12);
        Assert.Equal((11_000 * 0.3e-6) + (1_500 * 6e-6) + (500 * 15e-6), oneHour.Requests[1].Cost.Value, 1e-12);
    }

    [Fact]
    public void CachingOff_BillsEveryPromptTokenAtTheInputRate()
    {
        var bill = SessionBilling.Bill(TwoTurns(60), Sheet, null);
        Assert.Equal((23_500 * 3e-6) + (1000 * 15e-6), bill.Total.Value, 1e-12);
        Assert.Equal(0, bill.CacheReadTokens);
    }

    [Fact]
    public void OneHourTtl_WithoutAOneHourPrice_IsInvalidInput()
    {
        var e = Assert.Throws<InvalidInputException>(() =>
            SessionBilling.Bill(TwoTurns(60), Sheet with { CacheWriteOneHour = null }, new CachePolicy(CacheTtl.OneHour)));
        Assert.Equal("ttl", e.Field);
    }

    [Fact]
    public void PromptBelowTheMinimum_IsNotCached()
    {
        var bill = SessionBilling.Bill(TwoTurns(60), Sheet, new CachePolicy(CacheTtl.FiveMinutes, MinimumCacheableTokens: 50_000));
        Assert.All(bill.Requests, r => Assert.Equal(r.PromptTokens, r.Uncached));
    }

    [Fact]
    public void Compaction_BillsTheSummarisingPass_AndReplacesTheHistory()
    {
        // Given 10 turns of 1,000 in / 500 out after a 10,000 prefix, compacting past 15,000 into a 400-token summary
        var session = AgentSession.Uniform(10_000, 10, 1000, 500, 0, [Seconds.FromSeconds(10)]);
        var policy = new CompactionPolicy(15_000, 400, InstructionTokens: 100);
        var bill = SessionBilling.Bill(session, Sheet, new CachePolicy(CacheTtl.FiveMinutes), policy);

        // Then turn 4 (history 4,500) triggers it: the pass sends 10,000 + 4,500 + 100, reads the 14,000 turn 3 cached
        // (its prompt: 10,000 + 3,000 + 1,000), outputs 400
        var pass = bill.Requests.First(r => r.Kind == "compaction");
        Assert.Equal(4, pass.Turn);
        Assert.Equal(14_600, pass.PromptTokens);
        Assert.Equal(14_000, pass.CacheRead);
        Assert.Equal((14_000 * 0.3e-6) + (600 * 3e-6) + (400 * 15e-6), pass.Cost.Value, 1e-12);

        // and the turn after it sends prefix + summary + input, reading the prefix and writing the rest
        var next = bill.Requests.SkipWhile(r => !ReferenceEquals(r, pass)).Skip(1).First();
        Assert.Equal(11_400, next.PromptTokens);
        Assert.Equal(10_000, next.CacheRead);
        Assert.Equal(1_400, next.CacheWrite);
        Assert.True(bill.Compactions >= 2);
        Assert.All(bill.Requests.Where(r => r.Kind == "turn"), r => Assert.True(r.PromptTokens <= 15_000));
    }

    [Fact]
    public void LongContextTier_BillsTheWholeRequestAtItsRates()
    {
        var tiered = Sheet with { LongContext = new LongContextTier(11_000, P(6), P(22.5)) };
        var bill = SessionBilling.Bill(TwoTurns(60), tiered, new CachePolicy(CacheTtl.FiveMinutes));
        Assert.False(bill.Requests[0].LongContext);
        Assert.True(bill.Requests[1].LongContext);
        Assert.Equal((11_000 * 0.6e-6) + (1_500 * 7.5e-6) + (500 * 22.5e-6), bill.Requests[1].Cost.Value, 1e-12);
    }

    [Fact]
    public void SummaryNotShorterThanTheTrigger_IsInvalidInput()
    {
        var e = Assert.Throws<InvalidInputException>(() => new CompactionPolicy(1000, 1000).Validated());
        Assert.Equal("summaryTokens", e.Field);
    }
}
