using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

public sealed class StreamingTests
{
    [Fact]
    public void Generator_IsLazy_ABillionRequestStreamStartsAtOnce()
    {
        var stream = SimulationFixtures.Poisson(10, 100, 10, 1_000_000_000);

        var first = stream.Take(5).ToList();

        Assert.Equal(5, first.Count);
        Assert.True(first.Zip(first.Skip(1)).All(p => p.First.ArrivalTime <= p.Second.ArrivalTime));
    }

    [Fact]
    public void Poisson_ManyArrivals_AverageTheRate()
    {
        var last = SimulationFixtures.Poisson(50, 10, 10, 100_000).Last();

        Assert.Equal(100_000 / 50.0, last.ArrivalTime, 100_000 / 50.0 * 0.02);
    }

    [Fact]
    public void Gamma_HighCv_IsBurstierThanPoisson()
    {
        static double GapCv(ArrivalKind kind, double cv)
        {
            var times = new ArrivalProcess(RateCurve.Constant(1), kind, cv).Times(new Pcg32(5)).Take(50_000).ToArray();
            var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToArray();
            var mean = gaps.Average();
            return Math.Sqrt(gaps.Average(g => (g - mean) * (g - mean))) / mean;
        }

        Assert.Equal(1, GapCv(ArrivalKind.Poisson, 1), 0.05);
        Assert.Equal(3, GapCv(ArrivalKind.Gamma, 3), 0.3);
    }

    [Fact]
    public void Diurnal_ArrivalsPerHour_FollowTheShape()
    {
        var stream = new RequestGenerator(new ArrivalProcess(RateCurve.Diurnal(2)), new FixedLength(10), new FixedLength(10), 9, null, Horizon: 86_400);

        var perHour = new double[24];
        foreach (var r in stream) perHour[(int)(r.ArrivalTime / 3600)]++;

        // 7,200 expected in a peak hour, 1,800 in the trough
        Assert.Equal(7200, perHour[14], 7200 * 0.05);
        Assert.Equal(1800, perHour[4], 1800 * 0.1);
    }

    [Fact]
    public void RateCurveCsv_WithHeader_ParsesEveryHour()
    {
        var curve = RateCurve.ParseCsv("hour,rate\n" + string.Join('\n', Enumerable.Range(0, 24).Select(h => $"{h},{h + 1}")), "day.csv");

        Assert.Equal(24, curve.Peak);
        Assert.Equal(12.5, curve.Mean, 9);
    }

    [Fact]
    public void Sessions_FollowUpTurns_CarryTheConversationAsACachedPrefix()
    {
        var stream = SimulationFixtures.Poisson(5, 200, 100, 2000) with { Sessions = new SessionSpec(4, 10, 1.0) };

        var requests = stream.ToList();

        var followUps = requests.Where(r => r.CachedTokens > 0).ToList();
        Assert.NotEmpty(followUps);
        Assert.All(followUps, r => Assert.Equal(r.PromptTokens - 200, r.CachedTokens));
        Assert.Equal(2000, requests.Count);
    }

    [Fact]
    public void EmpiricalHistogram_SamplesInProportionToWeights()
    {
        var lengths = EmpiricalLength.ParseCsv("tokens,weight\n100,3\n1000,1\n", "lengths.csv");
        var random = new Pcg32(3);

        var share = Enumerable.Range(0, 40_000).Count(_ => lengths.Sample(random) == 100) / 40_000.0;

        Assert.Equal(0.75, share, 0.02);
        Assert.Equal(325, lengths.Mean, 9);
    }

    [Fact]
    public void Histogram_Quantiles_AreWithinTheStatedRelativeError()
    {
        var random = new Pcg32(11);
        var values = Enumerable.Range(0, 20_000).Select(_ => Math.Exp(random.NextNormal() - 3)).ToArray();
        var h = new LogHistogram();
        foreach (var v in values) h.Add(v);
        Array.Sort(values);

        foreach (var q in new[] { 0.5, 0.9, 0.99 })
        {
            var exact = values[(int)Math.Ceiling(q * values.Length) - 1];
            Assert.Equal(exact, h.Quantile(q), exact * LogHistogram.RelativeError * 1.01);
        }

        Assert.Equal(values.Max(), h.Max);
        Assert.Equal(values.Average(), h.Mean, 12);
    }

    [Fact]
    public void Series_LongRun_StaysWithinItsPointBudget()
    {
        var options = SimulationFixtures.Options() with { SeriesPoints = 40 };

        var result = ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 1, SimulationFixtures.Poisson(20, 300, 50, 20_000), options, cancellation: TestContext.Current.CancellationToken);

        Assert.InRange(result.Series.Count, 10, 40);
        Assert.All(result.Series, p => Assert.InRange(p.KvUse, 0, 1));
        Assert.Equal(result.BusyFraction, result.Series.Sum(p => p.Busy * Math.Min(p.Width, result.WallTime.Value - p.Start)) / result.WallTime.Value, 6);
    }

    [Fact]
    public void Cost_IncludesIdleTime()
    {
        // Two requests an hour apart: the replica idles most of the hour and is paid for all of it
        var result = ServingSimulator.Run(SimulationFixtures.Llama8BOnH100, 1,
            [new SimRequest(0, 0, 100, 0, 10), new SimRequest(1, 3600, 100, 0, 10)], SimulationFixtures.Options(), cancellation: TestContext.Current.CancellationToken);

        Assert.True(result.BusyFraction < 0.01);
        Assert.Equal(2.0 * result.WallTime.Hours, result.Cost!.Value.Value, 9);
        Assert.Equal(result.Cost.Value.Value / 20 * 1e6, result.OutputPerMillion!.Value.Value, 6);
    }
}
