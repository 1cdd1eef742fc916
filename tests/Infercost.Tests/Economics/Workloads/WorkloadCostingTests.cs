using CsCheck;
using Infercost.Economics.Prices;
using Infercost.Economics.Workloads;
using Infercost.Quantities;
using Xunit;

namespace Infercost.Tests.Economics.Workloads;

public class WorkloadCostingTests
{
    private static DollarsPerMillionTokens P(double v) => DollarsPerMillionTokens.FromDollarsPerMillionTokens(v);
    private static Tokens T(double v) => Tokens.FromTokens(v);

    // Sonnet-4.5-like sheet: $3 in, $0.30 cached, $3.75 write, $15 out, 50% batch, $6/$22.50 above 200k.
    private static PriceSheet Sonnet { get; } = new("sonnet", P(3), P(0.3), P(3.75), P(15), 0.5,
        new LongContextTier(200_000, P(6), P(22.5)), "test");

    private static Workload One(RequestType r, double hit = 0) => new("t", "test", [r], hit, []);

    [Fact]
    public void Components_EachBilledAtItsOwnRate()
    {
        // Given a 2-turn session: prefix 1,000, fresh 100, output 50, reasoning 20, caching at hit rate 1
        var r = new RequestType("turn", T(1_000), T(100), T(50), T(20), 1, TurnsPerSession: 2);
        var cost = WorkloadCosting.Cost(One(r, 1), Sonnet).Requests[0];

        // Then: history mean = (2-1)/2 × 150 = 75; prompt 1,175; cacheable = 1,000 + 75 − 25 = 1,050; new = 125
        Assert.Equal(1_175, cost.Tokens.Prompt.Value, 9);
        Assert.Equal(1_050, cost.Tokens.CacheRead.Value, 9);
        Assert.Equal(125, cost.Tokens.CacheWrite.Value, 9);
        Assert.Equal(0, cost.Tokens.Uncached.Value, 9);
        // cache reads at $0.30, writes at $3.75, output + reasoning (70) at $15
        Assert.Equal(1_050 * 0.3 / 1e6, cost.CacheRead.Value, 12);
        Assert.Equal(125 * 3.75 / 1e6, cost.CacheWrite.Value, 12);
        Assert.Equal(70 * 15 / 1e6, cost.Output.Value, 12);
        Assert.Equal(cost.Input.Value + cost.CacheRead.Value + cost.CacheWrite.Value + cost.Output.Value, cost.PerRequest.Value, 15);
    }

    [Fact]
    public void Reasoning_IsBilledAsOutput()
    {
        var r = new RequestType("q", T(0), T(1_000), T(100), T(900), 1);
        var cost = WorkloadCosting.Cost(One(r), Sonnet).Requests[0];
        Assert.Equal(1_000 * 15 / 1e6, cost.Output.Value, 12);
    }

    [Fact]
    public void Batch_TakesTheDiscountOffEveryComponent()
    {
        var plain = new RequestType("doc", T(500), T(20_000), T(500), T(0), 1);
        var batch = plain with { Batch = true };
        var a = WorkloadCosting.Cost(One(plain), Sonnet).PerDay.Value;
        var b = WorkloadCosting.Cost(One(batch), Sonnet).PerDay.Value;
        Assert.Equal(a * 0.5, b, 12);
    }

    [Fact]
    public void Batch_WithoutABatchPrice_IsBilledAtListAndSaysSo()
    {
        var sheet = Sonnet with { BatchDiscount = null };
        var cost = WorkloadCosting.Cost(One(new RequestType("doc", T(0), T(1_000), T(10), T(0), 1, Batch: true)), sheet);
        Assert.Equal(0, cost.Requests[0].BatchDiscountApplied);
        Assert.Contains(cost.Notes, n => n.Contains("no batch price", StringComparison.Ordinal));
    }

    [Fact]
    public void LongContext_AboveThreshold_BillsTheWholeRequestAtTheTierRates()
    {
        // Given a 250k-token prompt on Sonnet 4.5 (tier above 200k: $6 in / $22.50 out)
        var cost = WorkloadCosting.Cost(One(new RequestType("long", T(0), T(250_000), T(1_000), T(0), 1)), Sonnet).Requests[0];

        // Then 250k × $6 + 1k × $22.50
        Assert.True(cost.LongContextApplied);
        Assert.Equal(250_000 * 6 / 1e6 + 1_000 * 22.5 / 1e6, cost.PerRequest.Value, 12);
    }

    [Fact]
    public void LongContext_AtThreshold_StaysAtBaseRates()
    {
        var cost = WorkloadCosting.Cost(One(new RequestType("edge", T(0), T(200_000), T(0), T(0), 1)), Sonnet).Requests[0];
        Assert.False(cost.LongContextApplied);
        Assert.Equal(200_000 * 3 / 1e6, cost.PerRequest.Value, 12);
    }

    [Fact]
    public void PerMonth_IsThirtyDays()
    {
        var cost = WorkloadCosting.Cost(WorkloadProfiles.Chat, Sonnet);
        Assert.Equal(cost.PerDay.Value * 30, cost.PerMonth.Value, 9);
    }

    [Fact]
    public void CacheHitZero_SavesNothing()
    {
        var savings = WorkloadCosting.Savings(WorkloadProfiles.CodingAgent, Sonnet, new WorkloadLevers(CacheHitRate: 0));
        Assert.Equal(0, savings.Caching.Value, 12);
    }

    [Fact]
    public void CacheHitOne_BillsAllCacheableInputAtTheCachedRate()
    {
        // Given independent requests with a 10,000-token shared prefix, hit rate 1
        var r = new RequestType("q", T(10_000), T(500), T(100), T(0), 1);
        var cost = WorkloadCosting.Cost(One(r, 1), Sonnet).Requests[0];

        // Then the whole prefix is read at $0.30 and only the fresh 500 tokens at $3
        Assert.Equal(10_000, cost.Tokens.CacheRead.Value, 9);
        Assert.Equal(10_000 * 0.3 / 1e6, cost.CacheRead.Value, 12);
        Assert.Equal(500 * 3 / 1e6, cost.Input.Value, 12);
    }

    [Fact]
    public void Caching_SavesWhatCachedReadsDoNotPay()
    {
        // Given the same request, hit rate 1: saving = prefix × (input − cached rate)
        var r = new RequestType("q", T(10_000), T(500), T(100), T(0), 1000);
        var savings = WorkloadCosting.Savings(One(r), Sonnet, new WorkloadLevers(CacheHitRate: 1));
        Assert.Equal(1000 * 10_000 * (3 - 0.3) / 1e6, savings.Caching.Value, 9);
    }

    [Fact]
    public void Compaction_ShrinksTheResentHistory()
    {
        // Given the coding-agent profile (40-step sessions), 50% compaction
        var savings = WorkloadCosting.Savings(WorkloadProfiles.CodingAgent, Sonnet, new WorkloadLevers(Compaction: 0.5));

        // Then compaction saves money, and none without sessions
        Assert.True(savings.Compaction.Value > 0);
        var rag = WorkloadCosting.Savings(WorkloadProfiles.Rag, Sonnet, new WorkloadLevers(Compaction: 0.5));
        Assert.Equal(0, rag.Compaction.Value, 12);
    }

    [Fact]
    public void OutputReduction_65Percent_Cuts65PercentOfOutputSpend()
    {
        // Given the generation profile with no caching: 65% fewer output tokens
        var w = WorkloadProfiles.Generation with { CacheHitRate = 0 };
        var before = WorkloadCosting.Cost(w, Sonnet, new WorkloadLevers(CacheHitRate: 0));
        var savings = WorkloadCosting.Savings(w, Sonnet, new WorkloadLevers(CacheHitRate: 0, OutputReduction: 0.65));
        var outputSpend = before.Requests.Sum(r => r.Output.Value * r.Request.RequestsPerDay);
        Assert.Equal(0.65 * outputSpend, savings.OutputReduction.Value, 6);
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("coding-agent")]
    [InlineData("rag")]
    [InlineData("reasoning")]
    [InlineData("batch-summarisation")]
    [InlineData("generation")]
    public void EveryProfile_HasACostOnSonnet45AndNamesItsAssumptions(string id)
    {
        var w = WorkloadProfiles.Get(id);
        var cost = WorkloadCosting.Cost(w, PriceSheet.FromApi(PriceCatalog.Embedded.Get("claude-sonnet-4.5")));
        Assert.True(cost.PerDay.Value > 0);
        Assert.NotEmpty(w.Assumptions);
    }

    [Fact]
    public void CodingAgent_OnSonnet45_PerDayFromTheSessionModel()
    {
        // Given the coding-agent profile: P 20,000, F 1,500, O 300, R 200, T 40, hit 0.9, 20,000 steps/day on $3/$0.30/$3.75/$15
        var cost = WorkloadCosting.Cost(WorkloadProfiles.CodingAgent, Sonnet).Requests[0];

        // history mean = 19.5 × 1,800 = 35,100; prompt = 56,600; last reply = 39/40 × 300 = 292.5
        // cacheable = 20,000 + 35,100 − 292.5 = 54,807.5; new = 1,792.5; reads 0.9 × cacheable; uncached the 10% misses
        var cacheable = 54_807.5;
        var expected = (0.1 * cacheable * 3 + 0.9 * cacheable * 0.3 + 1_792.5 * 3.75 + 500 * 15) / 1e6;
        Assert.Equal(56_600, cost.Tokens.Prompt.Value, 9);
        Assert.Equal(expected, cost.PerRequest.Value, 12);
        Assert.Equal(expected * 20_000, cost.PerDay.Value, 6);
    }

    [Fact]
    public void Generation_IsOutputDominated_ChatIsNot()
    {
        var gen = WorkloadCosting.Cost(WorkloadProfiles.Generation, Sonnet).Requests[0];
        Assert.True(gen.Output.Value > 10 * (gen.Input + gen.CacheRead + gen.CacheWrite).Value);
    }

    [Fact]
    public void SelfHosted_CachedTokensCostTheGivenFractionOfPrefill()
    {
        var sheet = PriceSheet.SelfHosted("self", P(0.1), P(1), cachedPrefillFraction: 0);
        var r = new RequestType("q", T(10_000), T(0), T(0), T(0), 1);
        Assert.Equal(0, WorkloadCosting.Cost(One(r, 1), sheet).PerDay.Value, 15);
        var quarter = PriceSheet.SelfHosted("self", P(0.1), P(1), cachedPrefillFraction: 0.25);
        Assert.Equal(10_000 * 0.025 / 1e6, WorkloadCosting.Cost(One(r, 1), quarter).PerDay.Value, 15);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void HitRate_OutsideZeroOne_IsRejected(double hit)
    {
        var e = Assert.Throws<InvalidInputException>(() => WorkloadCosting.Cost(WorkloadProfiles.Chat, Sonnet, new WorkloadLevers(CacheHitRate: hit)));
        Assert.StartsWith("cacheHit must be in [0, 1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeVolume_IsRejected()
    {
        var e = Assert.Throws<InvalidInputException>(() => WorkloadProfiles.Chat.WithRequestsPerDay(-5));
        Assert.Equal("requestsPerDay must be >= 0; was -5.", e.Message);
    }

    [Fact]
    public void UnknownProfile_SuggestsTheClosest()
    {
        var e = Assert.Throws<InvalidInputException>(() => WorkloadProfiles.Get("coding-agnt"));
        Assert.Equal("unknown workload profile 'coding-agnt'; did you mean coding-agent?", e.Message);
    }

    [Fact]
    public void Property_CostIsLinearInVolume_AndMonotoneInHitRate()
    {
        Gen.Select(Gen.Double[0, 1], Gen.Double[0, 1], Gen.Double[1, 1e6]).Sample((h1, h2, v) =>
        {
            var w = WorkloadProfiles.Rag.WithRequestsPerDay(v);
            var lo = Math.Min(h1, h2);
            var hi = Math.Max(h1, h2);
            // Independent requests write nothing, so a higher hit rate never costs more.
            var costLo = WorkloadCosting.Cost(w, Sonnet, new WorkloadLevers(CacheHitRate: lo)).PerDay.Value;
            var costHi = WorkloadCosting.Cost(w, Sonnet, new WorkloadLevers(CacheHitRate: hi)).PerDay.Value;
            var unit = WorkloadCosting.Cost(w.WithRequestsPerDay(1), Sonnet, new WorkloadLevers(CacheHitRate: lo)).PerDay.Value;
            return costHi <= costLo * (1 + 1e-12) && Math.Abs(unit * v - costLo) <= 1e-9 * Math.Max(1, costLo);
        });
    }
}
