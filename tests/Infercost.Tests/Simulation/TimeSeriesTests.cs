using Infercost.Requests;
using Infercost.Simulation;
using Xunit;

namespace Infercost.Tests.Simulation;

// The time-averaged series of a run (TimeSeries): a step that crosses bucket boundaries is shared out by the time it
// spends in each bucket.
public class TimeSeriesTests
{
    [Fact]
    public void StepAcrossBuckets_IsSharedOutByTime()
    {
        // Given buckets of 1 s on one replica, a step from 0.5 s to 2.25 s with 4 sequences running
        var series = new TimeSeries(16, 1, 1.0);
        series.Add(0.5, 1.75, 0.5, 2, 4);

        var points = series.Points(2.25);

        // Then it is 0.5 s of bucket 0, all of bucket 1 and all of the 0.25 s of bucket 2 the run covers
        Assert.Equal([0.5, 1.0, 1.0], points.Select(p => p.Busy));
        Assert.Equal(4 * 0.5, points[0].Running, 12);
        Assert.Equal(4, points[1].Running, 12);
        Assert.Equal(2, points[2].Waiting, 12); // 2 waiting over the 0.25 s of the bucket the run covers
    }

    [Fact]
    public void StepEndingOnABoundary_DoesNotReachTheNextBucket()
    {
        var series = new TimeSeries(16, 1, 1.0);
        series.Add(0.25, 0.75, 0, 0, 1);

        Assert.Single(series.Points(1.0));
    }

    [Fact]
    public void ShortRunWithLongPrefillSteps_IsNeverMoreThanFullyBusy()
    {
        // Given 16 users of Llama 3.3 70B on 4 H100s with 2,035-token prompts: prefill steps of about half a second in
        // a 7-second run, whose series has buckets of a second or less
        var report = new SimulateRequest
        {
            Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 4, Tp = 4, Input = 2035, Output = 300, Concurrency = 16, Requests = 16,
        }.Answer(Infercost.Catalog.Catalog.Embedded, cancellation: TestContext.Current.CancellationToken);
        var r = report.Result;

        // Then no point is busier than its span, and the points still add up to the run's busy fraction
        Assert.All(r.Series, p => Assert.InRange(p.Busy, 0, 1 + 1e-12));
        Assert.Equal(r.BusyFraction, r.Series.Sum(p => p.Busy * Math.Min(p.Width, r.WallTime.Value - p.Start)) / r.WallTime.Value, 9);
    }
}
