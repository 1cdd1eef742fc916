using Infercost.Costing;
using Infercost.Physics;
using Infercost.Quantities;
using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Golden;

// Source: Martin Alderson, "Are OpenAI and Anthropic Really Losing Money on Inference?" (Aug 2025), golden cases 1A and
// 1B of /work/shared/golden/REFERENCE-ANALYSES.md; the physics critique is HN thread 45050415 (user chillee).
// Where the source is wrong, the test says so: the napkin configuration divides ONE H100's 3,350 GB/s by the whole
// 74 GB of active weights although the instance has eight GPUs, its 1.44M tok/s prefill is 6.7x the FP8 peak, and
// DeepSeek R1 does not fit on the 8-GPU instance it assumes.
public class AldersonTests
{
    private const int InstanceBatch = 32;
    private const int Instances = 9;
    private const double ActiveParameters = 37e9;
    private static readonly DollarsPerHour ClusterCost = DollarsPerHour.FromDollarsPerHour(2.00) * 72;

    // The napkin configuration: one H100's bandwidth stands for the whole 8-GPU instance (Devices = 1), and a pass
    // reads 37e9 active parameters × 2 bytes.
    private static ClaimVerdict NapkinDecode(double claimedPerInstance) => PhysicsCheck.Check(new Claim(
        ClaimKind.DecodeTokensPerSecond, claimedPerInstance, Fixtures.H100, Devices: 1, ActiveParameters,
        WeightBytesPerStep: Bytes.FromBytes(ActiveParameters * 2), Batch: InstanceBatch, ClusterCost: null, Precision.Bf16));

    [Fact]
    public void Alderson1A_Unrounded_BandwidthRoofline_Gives45Point27PassesAnd3Point068PerMTok()
    {
        // Given the napkin configuration, claiming the published 1,440 tok/s per instance
        // When the bandwidth ceiling is taken from the core
        var verdict = NapkinDecode(1440);
        var passesPerSecond = verdict.BandwidthCeiling!.Value.Value / InstanceBatch;
        var cluster = verdict.BandwidthCeiling.Value * Instances;
        var perHour = cluster * Seconds.FromHours(1);
        var price = CostModel.PerMillion(ClusterCost, cluster);

        // Then the unrounded chain (golden document's recomputation, 45.27 passes/s) follows
        Assert.Equal(45.27, passesPerSecond, 0.005);
        Assert.Equal(46.936, perHour.Millions, 0.0005);
        Assert.Equal(3.0680, price.Value, 0.00005);
        Assert.True(verdict.Possible, "1,440 tok/s is under the (mis-specified) single-GPU bandwidth ceiling of 1,448.6 tok/s.");
    }

    [Fact]
    public void Alderson1A_AsPublished_RoundedChain_Gives46Point7MTokPerHourAnd3Point08()
    {
        // Given the core's unrounded passes per second
        var passes = NapkinDecode(1440).BandwidthCeiling!.Value.Value / InstanceBatch;

        // When the article's own roundings are applied: passes to 45 (step 2); 46,656,000/h printed as 46.7M (step 8);
        // prefill 12.96M tok/s carried forward as "13 million" (step 5)
        var roundedPasses = Math.Round(passes);
        var decodeCluster = TokensPerSecond.FromTokensPerSecond(roundedPasses * InstanceBatch * Instances);
        var decodePerHour = decodeCluster * Seconds.FromHours(1);
        var printedPerHour = Math.Round(decodePerHour.Millions, 1);
        var outputPrice = ClusterCost * Seconds.FromHours(1) / Tokens.FromMillions(printedPerHour);
        var prefillInstance = TokensPerSecond.FromTokensPerSecond(roundedPasses * InstanceBatch * 1000);
        var prefillCluster = TokensPerSecond.FromTokensPerSecond(Math.Round(prefillInstance.Value * Instances / 1e6) * 1e6);
        var inputPrice = CostModel.PerMillion(ClusterCost, prefillCluster);

        // Then the published figures appear: 45 passes/s; 1.44M input tok/s per instance; 1,440 and 12,960 output tok/s;
        // 46.7M output/h; $3.08 output; 46.8B input/h; $0.003 input; ~1,000x asymmetry
        Assert.Equal(45, roundedPasses);
        Assert.Equal(1_440_000, prefillInstance.Value);
        Assert.Equal(12_960, decodeCluster.Value);
        Assert.Equal(46.7, printedPerHour);
        Assert.Equal(3.08, outputPrice.Value, 0.005);
        Assert.Equal(46.8, (prefillCluster * Seconds.FromHours(1)).Billions, 1e-9);
        Assert.Equal(0.003, inputPrice.Value, 0.0005);
        Assert.InRange(outputPrice.Value / inputPrice.Value, 900, 1100);
    }

    [Fact]
    public void Alderson1A_PrefillClaim_IsImpossible_6Point7xFp8And13Point5xBf16Peak()
    {
        // Given the published 1.44M tok/s of prefill for one 8-GPU instance (HN 45050415, chillee: "about 7x")
        Claim Prefill(Precision precision) => new(ClaimKind.PrefillTokensPerSecond, 1_440_000, Fixtures.H100, Devices: 8,
            ActiveParameters, null, null, null, precision);

        // When the compute ceiling is checked at FP8 and BF16
        var fp8 = PhysicsCheck.Check(Prefill(Precision.Fp8));
        var bf16 = PhysicsCheck.Check(Prefill(Precision.Bf16));

        // Then it is impossible by the factors the critique gives
        Assert.False(fp8.Possible);
        Assert.Equal(6.7, fp8.FactorOverCompute, 0.05);
        Assert.Equal(13.5, bf16.FactorOverCompute, 0.05);
        Assert.Equal(13.3, fp8.RequiredFlopsPerSecondPerDevice.Petaflops, 0.05);
        Assert.Equal(106_919, bf16.ComputeCeiling.Value, 0.5);
    }

    [Theory]
    [InlineData(Precision.Bf16, 0.0416, 0.00005)] // golden document: $0.0416/MTok, printed "$0.042" in the comparison table
    [InlineData(Precision.Bf16, 0.042, 0.0005)]
    [InlineData(Precision.Fp8, 0.0208, 0.00005)]
    public void Alderson1A_ComputeBoundInputFloor_At100PercentMfu(Precision precision, double expected, double tolerance)
    {
        // Given the published $0.003/MTok input price for 72 H100s at $2/h
        var claim = new Claim(ClaimKind.InputPricePerMillion, 0.003, Fixtures.H100, Devices: 72, ActiveParameters, null, null,
            ClusterCost, precision);

        // When the physics check prices the compute ceiling
        var verdict = PhysicsCheck.Check(claim);

        // Then the floor is 7–14x the published price, before any real-world MFU loss
        Assert.False(verdict.Possible);
        Assert.Equal(expected, verdict.FloorPrice!.Value.Value, tolerance);
    }

    [Theory]
    [InlineData(Precision.Fp16)]
    [InlineData(Precision.Fp8)]
    public void Alderson1A_DeepSeekR1_DoesNotFitOne8xH100Instance(Precision weights)
    {
        // Given R1 (671B) on one 8×H100 instance, all 640 GB usable (golden document: 1,342 GB at FP16, 671 GB at FP8).
        // The article assumes it fits; it does not.
        var setup = Fixtures.Setup(Fixtures.DeepSeekR1, Fixtures.H100, new Parallelism(Tensor: 8), memoryReserve: 0, weights: weights);

        // When memory is planned
        var plan = MemoryPlanner.Plan(setup, 2000);

        // Then the weights alone exceed the instance, and the fit check says so
        Assert.False(plan.WeightsFit);
        Assert.True(plan.Weights * 8 > Bytes.FromGigabytes(640));
        var error = Assert.Throws<ModelDoesNotFitException>(() => MemoryPlanner.EnsureFits(setup, plan, InstanceBatch));
        Assert.True(error.Required > error.Available);
    }

    [Fact]
    public void Alderson1A_Batch32Top8Of256_TouchesAbout163DistinctExpertsPerLayer()
    {
        // Given batch 32 and top-8 routing over 256 experts (golden document: 256 × (1 − (1 − 8/256)^32) ≈ 163)
        // When the expected distinct experts are computed
        var touched = DecodeModel.ExpectedDistinctExperts(256, 8, 32);

        // Then most experts are read each step, not just 37B worth of weights
        Assert.Equal(163, touched, 0.5);
    }

    [Theory]
    // Alderson 1B / section 2B: 30 days × (input MTok × $0.005 + output MTok × $5.13); the two Claude Code cases.
    // The source's rates are its headline $0.003/$3.08 divided by 0.6 (the 30–50% MoE penalty at its midpoint), never stated.
    [InlineData(10.0, 0.1, 16.89, 200, 11.8)]  // "Claude Code Max 10" ($200 plan): $16.89, 11.8x
    [InlineData(2.0, 0.03, 4.92, 100, 20.3)]   // "Claude Code Max 5" ($100 plan): $4.92, 20.3x
    public void Alderson1B_MonthlyPlanCost_IsTokensTimesPrice(double inputMillionsPerDay, double outputMillionsPerDay,
        double publishedCost, double planPrice, double publishedMarkup)
    {
        // Given the reconstructed per-MTok rates
        var input = DollarsPerMillionTokens.FromDollarsPerMillionTokens(0.005);
        var output = DollarsPerMillionTokens.FromDollarsPerMillionTokens(5.13);

        // When a 30-day month is priced with Tokens × $/MTok
        var perDay = Tokens.FromMillions(inputMillionsPerDay) * input + Tokens.FromMillions(outputMillionsPerDay) * output;
        var perMonth = perDay * 30;

        // Then the published cost and markup appear
        Assert.Equal(publishedCost, perMonth.Value, 0.005);
        Assert.Equal(publishedMarkup, planPrice / perMonth.Value, 0.05);
    }
}
