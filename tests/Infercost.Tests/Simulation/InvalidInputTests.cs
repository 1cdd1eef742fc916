using Infercost.Quantities;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

public sealed class InvalidInputTests
{
    public static TheoryData<string, string, Action> BadInputs => new()
    {
        { "maxBatchedTokens", "maxBatchedTokens must be in [1, 10000000]; was 0.", () => new SchedulerConfig(MaxBatchedTokens: 0).Validated() },
        { "maxRunningSequences", "maxRunningSequences must be in [1, 1000000]; was -1.", () => new SchedulerConfig(MaxRunningSequences: -1).Validated() },
        { "blockSize", "blockSize must be in [1, 4096]; was 0.", () => new SchedulerConfig(BlockTokens: 0).Validated() },
        { "sloTtft", "sloTtft must be in [1E-06, 86400]; was 0.", () => new Slo(Seconds.Zero, Seconds.FromMilliseconds(50)).Validated() },
        { "rate", "rate must be in [1E-09, 1E+07]; was 0.", () => RateCurve.Constant(0) },
        { "rate", "rate must be in [1E-09, 1E+07]; was NaN.", () => RateCurve.Diurnal(double.NaN) },
        { "cv", "cv must be in [0.05, 20]; was 0.", () => new ArrivalProcess(RateCurve.Constant(1), ArrivalKind.Gamma, 0).Validated() },
        { "prefixHit", "prefixHit must be in [0, 1]; was 1.5.", () => new SessionSpec(3, 10, 1.5).Validated() },
        { "turns", "turns must be in [1, 1000]; was 0.5.", () => new SessionSpec(0.5).Validated() },
        { "input-dist", "input-dist must be N or lognormal:MEDIAN:SIGMA[:MAX]; was 'gauss:3'.", () => LengthDistribution.Parse("gauss:3", "input-dist") },
        { "input-dist", "input-dist must be in [1, 10000000]; was 0.", () => LengthDistribution.Parse("0", "input-dist") },
        { "input-dist sigma", "input-dist sigma must be in [0, 5]; was 9.", () => LengthDistribution.Parse("lognormal:500:9", "input-dist") },
        { "slo-tpot", "slo-tpot must be a duration such as 2s, 50ms or 1.5 (seconds); was 'fast'.", () => DurationText.ParseSeconds("fast", "slo-tpot", 0, 10) },
        { "slo-ttft", "slo-ttft must be in [1E-06, 86400] seconds; was -2s.", () => DurationText.ParseSeconds("-2s", "slo-ttft", 1e-6, 86_400) },
        { "rateCurve", "day.csv: every hour 0–23 needs a rate; missing 2, 3", () => RateCurve.ParseCsv("hour,rate\n0,1\n1,2\n" + string.Join('\n', Enumerable.Range(4, 20).Select(h => $"{h},1")), "day.csv") },
        { "rateCurve", "day.csv line 2: expected 'hour,rate' with numbers; was '0;1'.", () => RateCurve.ParseCsv("hour,rate\n0;1", "day.csv") },
        { "replicas", "replicas must be in [1, 100000]; was 0.", () => ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 0, [], SimulationFixtures.Options()) },
        { "concurrency", "concurrency must be in [1, 1000000]; was 0.", () => ServingSimulator.RunClosedLoop(SimulationFixtures.Llama8BOnH100, 0, new FixedLength(1), new FixedLength(1), 10, 1, SimulationFixtures.Options()) },
        { "requests", "requests must be in [1, 1000000000]; was 0.", () => SimulationFixtures.Poisson(1, 10, 10, 0).Validated() },
        { "requests", "requests or duration must be given; was neither.", () => (SimulationFixtures.Poisson(1, 10, 10, 1) with { MaxRequests = null }).Validated() },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_ThrowsInvalidInputNamingTheFieldAndRange(string field, string message, Action act)
    {
        var e = Assert.Throws<InvalidInputException>(act);

        Assert.Equal(field, e.Field);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Requests_OutOfTimeOrder_AreRejected()
    {
        var e = Assert.Throws<InvalidInputException>(() => ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 1,
            [new SimRequest(0, 2, 10, 0, 2), new SimRequest(1, 1, 10, 0, 2)], SimulationFixtures.Options(), cancellation: TestContext.Current.CancellationToken));

        Assert.Equal("requests", e.Field);
    }
}
