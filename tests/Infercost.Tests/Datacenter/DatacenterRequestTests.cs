using Infercost.Requests;
using Xunit;

namespace Infercost.Tests.Datacenter;

// datacenter as a request: the engine's rate is cost's for one replica, and the plan is made again at the ends of the
// rate's calibrated band (docs/economics.md#datacentre-scale).
public class DatacenterRequestTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    private static DatacenterRequest Hundred(string? engine = null) => new()
    {
        Gpu = "nvidia-h100-sxm", Megawatts = 100, Model = "llama-3.3-70b", TokensPerUserDay = 20_000, Engine = engine,
    };

    [Theory]
    [InlineData(null)]
    [InlineData("trtllm")]
    [InlineData("sglang")]
    public void EngineRate_IsCostsPerDeviceRate_OnOneScaleUpDomain(string? engine)
    {
        // Given 100 MW of H100 serving Llama 3.3 70B
        var report = Hundred(engine).Answer(Catalog);

        // When cost estimates 8 H100 (the scale-up domain) at the same 1,000 in / 1,000 out with the same engine
        var cost = new CostRequest { Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 8, Input = 1000, Output = 1000, Engine = engine }.Answer(Catalog);

        // Then each accelerator's rates are the cluster's ÷ 8, and the report extrapolates what the estimate does
        var rate = report.Plan.Throughput!;
        Assert.Equal(cost.Serving.ClusterPrefillTokensPerSecond.Value / 8, rate.Prefill.Value, 9);
        Assert.Equal(cost.Serving.ClusterDecodeTokensPerSecond.Value / 8, rate.Decode.Value, 9);
        Assert.Equal(cost.Serving.Extrapolating, report.Extrapolating);
        Assert.Equal(cost.Serving.ThroughputBand, report.Bands!.Speed);
    }

    [Fact]
    public void SizedFromPower_TheFleetStays_TokensAndUsersScaleByR_CostByOneOverR()
    {
        var report = Hundred().Answer(Catalog);
        var (plan, bands) = (report.Plan, report.Bands!);

        foreach (var end in new[] { bands.Slow, bands.Fast })
        {
            Assert.Null(end.Failure);
            Assert.Equal(plan.Accelerators, end.Accelerators);
            Assert.Equal(plan.FacilityPower.Value, end.FacilityPower!.Value.Value, 6);
            Assert.Equal(plan.TotalCapex!.Value.Value, end.TotalCapex!.Value.Value, 3);
            Assert.Equal(plan.TokensPerDay!.Value.Value * end.Ratio, end.TokensPerDay!.Value.Value, plan.TokensPerDay!.Value.Value * 1e-12);
            Assert.Equal(plan.Users!.Value * end.Ratio, end.Users!.Value, plan.Users!.Value * 1e-12);
            Assert.Equal(plan.CostPerMillionTokens!.Value.Value / end.Ratio, end.CostPerMillionTokens!.Value.Value, 1e-12);
        }

        Assert.True(bands.Slow.Ratio < 1 && bands.Fast.Ratio > 1, $"band {bands.Slow.Ratio} .. {bands.Fast.Ratio}");
    }

    [Fact]
    public void SizedFromUsers_EachEndBuysTheAcceleratorsItsOwnRateNeeds()
    {
        // Given ten million users of DeepSeek-R1 at 20,000 tokens a day on B200
        var request = new DatacenterRequest { Gpu = "nvidia-b200", Users = 1e7, TokensPerUserDay = 20_000, Model = "deepseek-r1" };
        var report = request.Answer(Catalog);
        var (plan, bands) = (report.Plan, report.Bands!);

        // Then each end installs ⌈demand ÷ (r × one accelerator's tokens per day)⌉, and its power follows the count
        var perAccelerator = plan.Throughput!.TokensPerDay(1).Value;
        foreach (var end in new[] { bands.Slow, bands.Fast })
        {
            Assert.Equal((long)Math.Ceiling(1e7 * 20_000 / (end.Ratio * perAccelerator)), end.Accelerators);
            Assert.Equal(end.Accelerators!.Value * plan.PerAccelerator.Facility.Value, end.FacilityPower!.Value.Value, 6);
            Assert.True(end.Users >= 1e7, $"{end.Users} users at × {end.Ratio}");
        }

        Assert.True(bands.Slow.Accelerators > plan.Accelerators && plan.Accelerators > bands.Fast.Accelerators,
            $"{bands.Slow.Accelerators} / {plan.Accelerators} / {bands.Fast.Accelerators}");
    }

    [Fact]
    public void ADemandTheSlowEndCannotHold_IsThatEndsFailure_NotTheQuestions()
    {
        // Given a demand that needs 90 M accelerators at the modelled rate: the slow end (× 0.66) would need more than the
        // 100 M a plan holds
        var probe = new DatacenterRequest { Gpu = "nvidia-h100-sxm", Gpus = 1, Model = "llama-3.1-8b", ReplicaGpus = 1 }.Answer(Catalog);
        var perAccelerator = probe.Plan.TokensPerDay!.Value.Value;
        var report = new DatacenterRequest { Gpu = "nvidia-h100-sxm", TokensPerDay = 0.9e8 * perAccelerator, Model = "llama-3.1-8b", ReplicaGpus = 1 }.Answer(Catalog);

        Assert.Equal(90_000_000, report.Plan.Accelerators);
        Assert.Null(report.Bands!.Slow.Accelerators);
        Assert.Contains("more than the 100,000,000 a plan holds", report.Bands.Slow.Failure, StringComparison.Ordinal);
        Assert.NotNull(report.Bands.Fast.Accelerators);
    }

    [Fact]
    public void GivenRates_HaveNoBand()
    {
        var report = new DatacenterRequest { Gpu = "nvidia-h100-sxm", Gpus = 8, PrefillTps = 4000, DecodeTps = 1000 }.Answer(Catalog);

        Assert.Null(report.Bands);
        Assert.Empty(report.Extrapolating);
        Assert.NotNull(report.Plan.TokensPerDay);
    }

    [Theory]
    [InlineData("gpu", "gpu is required")]
    [InlineData("boardPower", "boardPower must be in [1, 1E+06]; was 0.")]
    [InlineData("decodeTps", "decodeTps is required with prefillTps.")]
    [InlineData("replicaGpus", "replicaGpus applies to model; add model.")]
    [InlineData("claimedMegawatts", "claimedMegawatts checks a claimed count and power: size with gpus.")]
    [InlineData("users", "users needs tokensPerUserDay to turn into accelerators.")]
    [InlineData("output", "output must be in [1, 10000000]; was 0.")]
    public void BadInput_NamesTheField(string field, string message)
    {
        DatacenterRequest request = field switch
        {
            "gpu" => new() { Gpus = 8 },
            "boardPower" => new() { Gpu = "nvidia-h100-sxm", Gpus = 8, BoardPower = 0 },
            "decodeTps" => new() { Gpu = "nvidia-h100-sxm", Gpus = 8, PrefillTps = 5 },
            "replicaGpus" => new() { Gpu = "nvidia-h100-sxm", Gpus = 8, ReplicaGpus = 8 },
            "claimedMegawatts" => new() { Gpu = "nvidia-h100-sxm", Megawatts = 5, ClaimedMegawatts = 3 },
            "users" => new() { Gpu = "nvidia-h100-sxm", Users = 5 },
            _ => new() { Gpu = "nvidia-h100-sxm", Gpus = 8, Output = 0 },
        };

        var e = Assert.Throws<InvalidInputException>(() => request.Answer(Catalog));

        Assert.Equal(field, e.Field);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
