using Infercost.Requests;
using Xunit;

namespace Infercost.Tests.Requests;

// The requests moved from the CLI to the core (workload, route, breakeven, subscription value/cost, price-curve, pnl,
// plan): each refuses bad input naming the field, its range and the value given, before any work.
public sealed class EconomicsRequestValidationTests
{
    private static readonly PlanRequest Plan = new() { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Rate = 1 };

    public static TheoryData<string, Action, string, string> Invalid => new()
    {
        { "workload cacheHit", () => new WorkloadRequest { Model = "gpt-5", CacheHit = 1.5 }.Validate(), "cacheHit", "cacheHit must be in [0, 1]; was 1.5." },
        { "workload gpus", () => new WorkloadRequest { SelfHost = true, Gpus = 0 }.Validate(), "gpus", "gpus must be in [1, 1000000]; was 0." },
        { "workload stray", () => new WorkloadRequest { Model = "gpt-5", GpuPrice = 2 }.Validate(), "gpuPrice", "gpuPrice applies to a self-hosted cluster; add selfHost." },
        { "route tiers", () => new RouteRequest { Tier = [.. Enumerable.Repeat("a=0.01", 65)] }.Validate(), "tier", "tier must list at most 64 tiers; was 65." },
        { "breakeven utilisation", () => new BreakEvenRequest { ApiModel = "gpt-5", Utilisation = 0 }.Validate(), "utilisation", "utilisation must be in [0.01, 1]; was 0." },
        { "subscription value apiOut", () => new SubscriptionValueRequest { ApiIn = 1, ApiOut = -1 }.Validate(), "apiOut", "apiOut must be in (0, 100000]; was -1." },
        { "subscription cost inputPerDay", () => new SubscriptionCostRequest { Plan = "pro", InputPerDay = double.NaN }.Validate(), "inputPerDay", "inputPerDay must be in [0, 1E+12]; was NaN." },
        { "subscription cost plan", () => new SubscriptionCostRequest { Plan = "gold" }.Validate(), "plan", "unknown plan 'gold'" },
        { "price-curve kind", () => new PriceCurveRequest { Model = "gpt-4o", PriceKind = "cached" }.Validate(), "priceKind", "priceKind must be blended, input or output; was 'cached'." },
        { "price-curve fromDate", () => new PriceCurveRequest { Factor = 10, FromPrice = 1, FromDate = "01/02/2025" }.Validate(), "fromDate", "fromDate must be yyyy-MM-dd; was '01/02/2025'." },
        { "pnl training bill twice", () => new PnlRequest { Scenario = "deepseek-day6", TrainingCost = 1, TrainParams = 1e9 }.Validate(), "trainingCost", "trainingCost and trainParams both give the training bill; keep one." },
        { "pnl trainTokens", () => new PnlRequest { Scenario = "deepseek-day6", TrainParams = 1e9 }.Validate(), "trainTokens", "trainTokens is required to estimate a training run (with trainParams)." },
        { "plan autoscaleStep", () => (Plan with { AutoscaleStep = 25 }).Validate(), "autoscaleStep", "autoscaleStep must be in [1, 24]; was 25." },
        { "plan sloTtft", () => (Plan with { SloTtft = "0s" }).Validate(), "sloTtft", "sloTtft must be" },
        { "plan dist and hist", () => (Plan with { InputDist = "100", InputHist = "100,1" }).Validate(), "inputDist", "inputDist and inputHist both give the prompt lengths; use one." },
        { "plan engine", () => (Plan with { Engine = "tgi" }).Validate(), "engine", "engine must be one of" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_NamesTheFieldTheRangeAndTheValue(string question, Action validate, string field, string message)
    {
        var e = Assert.Throws<InvalidInputException>(validate);

        Assert.True(field == e.Field, $"{question}: field {e.Field}, message {e.Message}");
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PriceCurve_ConstantMode_StartsOnTheDateTheShellGives()
    {
        var report = new PriceCurveRequest { Factor = 10, FromPrice = 60, Years = 1 }.Answer(new DateOnly(2030, 1, 1));

        Assert.Equal(new DateOnly(2030, 1, 1), report.Projection[0].Date);
        Assert.Equal(6, report.Projection[^1].Central.Value, 9);
    }

    [Fact]
    public void Pnl_TrainingRun_IsPricedInTheCore()
    {
        var given = new PnlRequest { Scenario = "deepseek-day6", TrainingCost = 5e6 }.Answer();
        var estimated = new PnlRequest { Scenario = "deepseek-day6", TrainParams = 37e9, TrainTokens = 14.8e12 }.Answer();

        Assert.NotNull(estimated.Training);
        Assert.NotEqual(given.Training!.Amortisation.TrainingCost, estimated.Training.Amortisation.TrainingCost);
    }
}
