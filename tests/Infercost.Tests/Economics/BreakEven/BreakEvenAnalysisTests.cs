using CsCheck;
using Infercost.Costing;
using Infercost.Economics.BreakEven;
using Infercost.Economics.Prices;
using Infercost.Economics.Workloads;
using Infercost.Quantities;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Economics.BreakEven;

public class BreakEvenAnalysisTests
{
    private static DollarsPerMillionTokens P(double v) => DollarsPerMillionTokens.FromDollarsPerMillionTokens(v);

    private static SelfHostDeployment Cluster(double perHour, double inRate, double outRate) =>
        new("test cluster", DollarsPerHour.FromDollarsPerHour(perHour), PriceSheet.SelfHosted("self", P(inRate), P(outRate)));

    [Fact]
    public void BreakEven_IsWhereApiAndSelfHostCostsCross()
    {
        // Given chat on Sonnet 4.5 against a $16/h cluster whose full-use cost is $0.05 in / $0.50 out
        var api = PriceSheet.FromApi(PriceCatalog.Embedded.Get("claude-sonnet-4.5"));
        var cluster = Cluster(16, 0.05, 0.5);

        var result = BreakEvenAnalysis.Analyse(WorkloadProfiles.Chat, api, cluster);

        // Then at the break-even volume one cluster's day costs exactly what the API would
        var v = result.BreakEvenRequestsPerDay!.Value;
        var apiThere = WorkloadCosting.Cost(WorkloadProfiles.Chat.WithRequestsPerDay(v), api).PerDay.Value;
        var selfThere = BreakEvenAnalysis.SelfHostPerDay(v, result.CapacityRequestsPerDay, result.ClusterPerDay).Value;
        Assert.Equal(16 * 24, selfThere, 9);
        Assert.Equal(selfThere, apiThere, 6);
        // and the utilisation there is self-host $/request at full use ÷ API $/request
        Assert.Equal(result.SelfHostPerRequestAtFullUse.Value / result.ApiPerRequest.Value, result.BreakEvenUtilisation!.Value, 12);
        // Below it the API wins, above it (within one cluster's capacity) self-hosting does
        var row = result.Table.First(r => r.RequestsPerDay > v && r.Clusters == 1);
        Assert.Equal("self-host", row.Winner);
        Assert.Equal("api", result.Table[0].Winner);
    }

    [Fact]
    public void BreakEven_BeyondCapacity_AddsClusters()
    {
        var api = PriceSheet.FromApi(PriceCatalog.Embedded.Get("claude-sonnet-4.5"));
        var result = BreakEvenAnalysis.Analyse(WorkloadProfiles.Chat, api, Cluster(16, 0.05, 0.5));
        var row = result.Table.Single(r => Math.Abs(r.RequestsPerDay - 2.5 * result.CapacityRequestsPerDay) < 1e-6 * result.CapacityRequestsPerDay
            || Math.Abs(r.RequestsPerDay - 3 * result.CapacityRequestsPerDay) < 1e-6 * result.CapacityRequestsPerDay);
        Assert.Equal(3, row.Clusters);
        Assert.Equal(3 * 16 * 24, row.SelfHostPerDay.Value, 9);
    }

    [Fact]
    public void BreakEven_ApiCheaperThanAFullCluster_NeverBreaksEven()
    {
        // Given an API cheaper per token than the cluster even when fully used
        var api = PriceSheet.Flat("cheap api", P(0.01), P(0.1));
        var result = BreakEvenAnalysis.Analyse(WorkloadProfiles.Chat, api, Cluster(16, 0.05, 0.5));
        Assert.Null(result.BreakEvenRequestsPerDay);
        Assert.All(result.Table, r => Assert.Equal("api", r.Winner));
        Assert.Contains(result.Notes, n => n.StartsWith("Self-hosting never wins", StringComparison.Ordinal));
    }

    [Fact]
    public void BreakEven_FromTheEngine_Llama70BOn8H100AgainstSonnet()
    {
        // Given Llama 3.3 70B on 8 × H100 at $2/GPU-hour (the engine's throughputs) against Sonnet 4.5 list prices
        var config = new ServingConfig { TotalDevices = 8, InputTokens = 2_000, OutputTokens = 350 };
        var quote = SelfHostedPricing.Quote(Fixtures.Llama70B, Fixtures.H100, config, new RentalCost(DollarsPerHour.FromDollarsPerHour(2)));
        var deployment = SelfHostDeployment.FromQuote(quote);

        var result = BreakEvenAnalysis.Analyse(WorkloadProfiles.Chat, PriceSheet.FromApi(PriceCatalog.Embedded.Get("claude-sonnet-4.5")), deployment);

        // Then the cluster costs $384/day and breaks even below its capacity
        Assert.Equal(384, result.ClusterPerDay.Value, 9);
        Assert.NotNull(result.BreakEvenRequestsPerDay);
        Assert.True(result.BreakEvenRequestsPerDay < result.CapacityRequestsPerDay);
    }

    [Fact]
    public void Property_SelfHostWinsOnlyWhenUtilisedEnough()
    {
        Gen.Select(Gen.Double[1, 100], Gen.Double[0.01, 1], Gen.Double[0.1, 10]).Sample((perHour, inRate, outRate) =>
        {
            var api = PriceSheet.Flat("api", P(3), P(15));
            var result = BreakEvenAnalysis.Analyse(WorkloadProfiles.Rag, api, Cluster(perHour, inRate, outRate));
            // A winning self-host row is always at or above the break-even utilisation
            return result.Table.Where(r => r.Winner == "self-host").All(r => r.Utilisation >= result.BreakEvenUtilisation!.Value - 1e-9);
        });
    }
}
