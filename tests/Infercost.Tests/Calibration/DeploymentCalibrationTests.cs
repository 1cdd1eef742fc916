using Infercost.Calibration;
using Infercost.Quantities;
using Infercost.Requests;
using Infercost.Serving;
using Infercost.Simulation;
using Infercost.Tests.Simulation;
using Xunit;

namespace Infercost.Tests.Calibration;

public sealed class DeploymentCalibrationTests
{
    private static readonly ServingConfig BuiltIn = new ServingRequest { Gpus = 1, Engine = "vllm" }.ToConfig();

    // A "deployment" whose runtime differs from the built-in vLLM profile: 3 ms of host time per step (a slow scheduler)
    // and 70% of the kernel curves' bandwidth. Its load levels come from the simulator, closed loop, as measure records them.
    private static List<DeploymentLevel> Measure(double stepOverheadMs, double mbu, params int[] concurrencies)
    {
        var config = BuiltIn with { Efficiency = BuiltIn.Efficiency with { StepOverhead = Seconds.FromMilliseconds(stepOverheadMs), Mbu = mbu } };
        var setup = new ServingSetup(Fixtures.Llama8B, Fixtures.H100, Parallelism.Single, config);
        var levels = new List<DeploymentLevel>();
        foreach (var c in concurrencies)
        {
            var requests = 8L * c;
            var r = ServingSimulator.RunClosedLoop(setup, c, new FixedLength(400), new FixedLength(100), requests, 11, SimulationFixtures.Options(),
                cancellation: TestContext.Current.CancellationToken);
            var m = new MeasuredLevel($"concurrency {c}", r.Completed, r.Completed, r.TimeToFirstToken.Mean.Value, r.TimePerOutputToken.Mean.Value,
                r.EndToEnd.Mean.Value, r.RequestsPerSecond, 400, 100);
            levels.Add(DeploymentLevel.Of(m, replicas: 1)!);
        }

        return levels;
    }

    [Fact]
    public void Fit_RecoversTheRuntimeOfASimulatedDeployment_AndTransfersToHeldOutLevels()
    {
        // Given four load levels measured on a deployment with 3 ms per step and 70% bandwidth
        var levels = Measure(3.0, 0.70, 1, 4, 16, 64);

        // When the profile is fitted starting from the built-in vLLM profile (0.6 ms, full bandwidth)
        var fit = DeploymentCalibration.Fit(Fixtures.Llama8B, Fixtures.H100, Parallelism.Single, BuiltIn, 1, levels, cancellation: TestContext.Current.CancellationToken);

        // Then it finds the deployment's own values, and the fit predicts each level held out far better than the built-in profile
        Assert.True(fit.StepOverheadMs is > 2.6 and < 3.4 && fit.Mbu is > 0.63 and < 0.77, $"fitted {fit.StepOverheadMs} ms, MBU {fit.Mbu}; " +
            string.Join("; ", fit.Levels.Select(l => $"{l.Level.Level} d={l.Level.DecodeBatch:F1} meas={l.Measured * 1e3:F3} fit={l.Fitted * 1e3:F3} def={l.Default * 1e3:F3}")));
        Assert.InRange(fit.Mbu, 0.63, 0.77);
        Assert.True(fit.Default.MedianAbsPctError > 20, $"built-in error {fit.Default.MedianAbsPctError}%");
        Assert.NotNull(fit.HeldOut);
        Assert.True(fit.HeldOut!.MedianAbsPctError < 5, $"held-out error {fit.HeldOut.MedianAbsPctError}%");
        Assert.Equal(4, fit.Levels.Count(l => l.HeldOut is not null));
    }

    [Fact]
    public void Fit_OnTheBuiltInProfilesOwnRuns_KeepsItsValues()
    {
        var own = BuiltIn.Efficiency;
        var levels = Measure(own.StepOverhead.Milliseconds, own.Mbu, 1, 8, 32);

        var fit = DeploymentCalibration.Fit(Fixtures.Llama8B, Fixtures.H100, Parallelism.Single, BuiltIn, 1, levels, cancellation: TestContext.Current.CancellationToken);

        Assert.InRange(fit.StepOverheadMs, own.StepOverhead.Milliseconds - 0.3, own.StepOverhead.Milliseconds + 0.3);
        Assert.InRange(fit.Mbu, own.Mbu * 0.93, 1.0);
        Assert.True(fit.Default.MedianAbsPctError < 5, $"built-in error {fit.Default.MedianAbsPctError}%");
    }

    [Fact]
    public void Level_ReadsTheLoadItWasRunAt_AndLittlesLawBatch()
    {
        var closed = DeploymentLevel.Of(new MeasuredLevel("concurrency 64", 640, 640, 0.5, 0.01, 1.5, 40, 400, 100), 2)!;
        var poisson = DeploymentLevel.Of(new MeasuredLevel("Poisson 4.5 req/s", 640, 640, 0.5, 0.01, 1.5, 4.4, 400, 100), 1)!;
        var constant = DeploymentLevel.Of(new MeasuredLevel("constant 2 req/s", 640, 640, 0.5, 0.01, 1.5, 2, 400, 100), 1)!;

        Assert.Equal((64, (double?)null), (closed.Users!.Value, closed.Rate));
        Assert.Equal(20, closed.DecodeBatch, 12); // 40 req/s × (1.5 − 0.5) s over 2 replicas
        Assert.Equal((4.5, true), (poisson.Rate!.Value, poisson.Poisson));
        Assert.Equal((2.0, false), (constant.Rate!.Value, constant.Poisson));
        Assert.Null(DeploymentLevel.Of(new MeasuredLevel("concurrency 4", 4, 0, 0, 0, 0, 0, 0, 0), 1)); // nothing succeeded
        Assert.Null(DeploymentLevel.Of(new MeasuredLevel("trace azure.csv", 40, 40, 0.5, 0.01, 1.5, 4, 400, 100), 1)); // a trace's own times
    }

    [Fact]
    public void Fit_TooFewLevelsOrOneBatch_IsRefusedNamingFrom()
    {
        var one = Measure(1, 0.9, 8);
        var e = Assert.Throws<InvalidInputException>(() => DeploymentCalibration.Fit(Fixtures.Llama8B, Fixtures.H100, Parallelism.Single, BuiltIn, 1, one, cancellation: TestContext.Current.CancellationToken));
        Assert.Equal("from", e.Field);
        Assert.Contains("needs at least 2 levels", e.Message, StringComparison.Ordinal);

        var same = new[] { one[0], one[0] with { MeasuredTpot = one[0].MeasuredTpot * 1.1 } };
        e = Assert.Throws<InvalidInputException>(() => DeploymentCalibration.Fit(Fixtures.Llama8B, Fixtures.H100, Parallelism.Single, BuiltIn, 1, same, cancellation: TestContext.Current.CancellationToken));
        Assert.Contains("every level ran at one load", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_InARequest_ReplacesTheEngineRuntime_ExplicitOptionsWin()
    {
        var profile = new DeploymentProfile(DeploymentProfile.FormatName, "sglang", 2.5, 0.8, "llama-3.1-8b", "nvidia-h100-sxm", 1, "TP1", 4, "m.json");

        var config = new ServingRequest { Gpus = 1, EngineProfile = profile }.ToConfig();
        Assert.Equal(2.5, config.Efficiency.StepOverhead.Milliseconds, 12);
        Assert.Equal(0.8, config.Efficiency.Mbu, 12);
        Assert.Equal("sglang", config.Engine.Id);
        Assert.Equal(ServingSoftware.Sglang.MaxBatch, config.MaxBatch); // the base engine's scheduler defaults stay
        Assert.Contains("fitted to m.json", config.Engine.Name, StringComparison.Ordinal);

        var explicitOptions = new ServingRequest { Gpus = 1, EngineProfile = profile, StepOverheadMs = 1, Mbu = 0.5 }.ToConfig();
        Assert.Equal(1, explicitOptions.Efficiency.StepOverhead.Milliseconds, 12);
        Assert.Equal(0.5, explicitOptions.Efficiency.Mbu, 12);

        var clash = new ServingRequest { Model = "llama-3.1-8b", Gpu = "nvidia-h100-sxm", Gpus = 1, EngineProfile = profile, Engine = "vllm" };
        var e = Assert.Throws<InvalidInputException>(clash.Validate);
        Assert.Equal("engine", e.Field);
        Assert.Contains("sglang", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Profile_Parse_RoundTripsAndRefusesWhatIsNotAProfile()
    {
        var profile = new DeploymentProfile(DeploymentProfile.FormatName, "vllm", 0.9, 0.85, "m", "g", 2, "TP2", 3, "a.json")
        {
            HeldOut = new DeploymentFitError(3, 6, "leave one load level out"),
        };
        var text = System.Text.Json.JsonSerializer.Serialize(profile, Infercost.Serialization.InfercostJson.Options);
        Assert.Equal(profile, DeploymentProfile.Parse(text, "--engine-profile"));

        var notJson = Assert.Throws<InvalidInputException>(() => DeploymentProfile.Parse("{\n  \"format\": ", "--engine-profile"));
        Assert.Contains("line 2", notJson.Message, StringComparison.Ordinal);
        var other = Assert.Throws<InvalidInputException>(() => DeploymentProfile.Parse("{\"format\":\"x\"}", "--engine-profile"));
        Assert.Contains("format must be 'infercost-engine-profile/1'; was 'x'", other.Message, StringComparison.Ordinal);
        var range = Assert.Throws<InvalidInputException>(() => DeploymentProfile.Parse(text.Replace("0.85", "1.5", StringComparison.Ordinal), "--engine-profile"));
        Assert.Contains("mbu must be in [0.001, 1]; was 1.5", range.Message, StringComparison.Ordinal);
        Assert.All(new[] { notJson, other, range }, x => Assert.Equal("--engine-profile", x.Field));
    }

    [Fact]
    public void ReadReport_NamesTheFileAndTheMissingField()
    {
        var e = Assert.Throws<InvalidInputException>(() => MeasuredLevel.ReadReport("{\"levels\":[{\"level\":\"concurrency 1\",\"requests\":3}]}", "m.json", "--from"));
        Assert.Equal("--from 'm.json': levels[0] has no 'succeeded'; is it a measure report?", e.Message);
        e = Assert.Throws<InvalidInputException>(() => MeasuredLevel.ReadReport("[]", "m.json", "--from"));
        Assert.Contains("no 'levels' array", e.Message, StringComparison.Ordinal);
    }
}
