using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>Discrete-event simulation of a fleet of identical replicas serving a request stream: continuous batching
/// with chunked prefill, paged KV cache, admission control and preemption, each step timed by
/// <see cref="BatchStepModel"/>. See docs/simulation.md.</summary>
public static class ServingSimulator
{
    /// <summary>KV-cache blocks one replica holds: the memory plan's KV space per device ÷ the bytes one block of
    /// <see cref="SchedulerConfig.BlockTokens"/> tokens takes per device (<see cref="ServingSetup.KvPerDevice"/>, which
    /// divides by attention-DP, pipeline and KV-shard degrees, so the count is for the whole replica).</summary>
    /// <exception cref="ModelDoesNotFitException">The weights, or not even one block, fit.</exception>
    public static int KvBlocksPerReplica(ServingSetup setup, SchedulerConfig scheduler)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(scheduler);
        var plan = MemoryPlanner.Plan(setup, scheduler.BlockTokens);
        MemoryPlanner.EnsureFits(setup, plan, 1);
        var perBlock = setup.KvPerDevice(1, scheduler.BlockTokens);
        return (int)Math.Min(int.MaxValue / 2, Math.Floor(plan.KvAvailable / perBlock));
    }

    /// <summary>Runs <paramref name="requests"/> (in arrival order) through <paramref name="replicas"/> replicas of
    /// <paramref name="setup"/>; each arrival goes to the replica with the fewest outstanding requests.</summary>
    /// <param name="setup">Model, device, layout, precisions and efficiency of one replica.</param>
    /// <param name="replicas">Replicas in the fleet.</param>
    /// <param name="requests">The stream; a <see cref="RequestGenerator"/> also supplies the horizon and the expected count.</param>
    /// <param name="options">Scheduler, SLO and cost basis.</param>
    /// <param name="progress">Receives the fraction of expected arrivals processed, from 0 to 1.</param>
    public static SimulationResult Run(ServingSetup setup, int replicas, IEnumerable<SimRequest> requests, SimulationOptions options,
        IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        Guard.InRange(replicas, 1, 100_000, "replicas");
        var stream = requests as RequestGenerator;
        stream?.Validated();
        var expected = stream?.ExpectedRequests ?? 0;
        var (metrics, fleet) = Build(setup, replicas, options, InitialWidth(stream));
        var reportEvery = Math.Max(1, (long)(expected / 200));

        var previous = double.NegativeInfinity;
        foreach (var r in requests)
        {
            if (!(r.ArrivalTime >= previous)) throw new InvalidInputException("requests", $"requests must arrive in time order; request {r.Id} at {Guard.Format(r.ArrivalTime)} s came after {Guard.Format(previous)} s.");
            previous = r.ArrivalTime;
            metrics.Arrived++;
            var target = fleet[0];
            foreach (var replica in fleet)
            {
                replica.AdvanceTo(r.ArrivalTime);
                if (replica.Outstanding < target.Outstanding) target = replica;
            }

            if (!target.CanEverFit(r)) metrics.Rejected++;
            else target.Enqueue(r);
            if (progress is not null && expected > 0 && metrics.Arrived % reportEvery == 0) progress.Report(Math.Min(1, metrics.Arrived / expected));
        }

        foreach (var replica in fleet) replica.Drain();
        progress?.Report(1);
        var end = Math.Max(fleet.Max(x => x.Clock), stream?.Horizon ?? 0);
        return Result(setup, fleet, metrics, options, end);
    }

    /// <summary>Closed loop: <paramref name="concurrency"/> users on one replica, each sending its next request the
    /// moment the previous one completes (a fixed-concurrency benchmark), until <paramref name="requests"/> have been sent.</summary>
    public static SimulationResult RunClosedLoop(ServingSetup setup, int concurrency, LengthDistribution input, LengthDistribution output,
        long requests, long seed, SimulationOptions options, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(setup);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        options.Validated();
        Guard.InRange(concurrency, 1, 1_000_000, "concurrency");
        if (requests < 1 || requests > 1_000_000_000) throw new InvalidInputException("requests", $"requests must be in [1, 1000000000]; was {requests}.");
        var (metrics, fleet) = Build(setup, 1, options, 1);
        var replica = fleet[0];
        var random = new Pcg32(seed);
        long issued = 0, seen = 0;
        var reportEvery = Math.Max(1, requests / 200);

        void Issue(double at)
        {
            var r = new SimRequest(issued++, at, input.Sample(random), 0, output.Sample(random));
            metrics.Arrived++;
            if (replica.CanEverFit(r)) replica.Enqueue(r);
            else metrics.Rejected++;
            if (progress is not null && issued % reportEvery == 0) progress.Report((double)issued / requests);
        }

        while (issued < Math.Min(concurrency, requests)) Issue(0);
        while (replica.HasWork)
        {
            replica.Step();
            for (; seen < replica.CompletedCount; seen++)
            {
                if (issued < requests) Issue(replica.Clock);
            }
        }

        progress?.Report(1);
        return Result(setup, fleet, metrics, options, replica.Clock);
    }

    private static double InitialWidth(RequestGenerator? stream) =>
        stream?.Horizon is { } h ? h / 240 : stream?.MaxRequests is { } n ? Math.Max(1e-3, n / stream.Arrivals.Rate.Peak / 240) : 1;

    private static (MetricsCollector, Replica[]) Build(ServingSetup setup, int replicas, SimulationOptions options, double initialWidth)
    {
        var blocks = KvBlocksPerReplica(setup, options.Scheduler);
        var points = options.SeriesPoints + (options.SeriesPoints & 1);
        var metrics = new MetricsCollector(options.Slo, new TimeSeries(points, replicas, Math.Max(1e-6, initialWidth)));
        var fleet = new Replica[replicas];
        for (var i = 0; i < replicas; i++) fleet[i] = new Replica(setup, options.Scheduler, blocks, metrics);
        return (metrics, fleet);
    }

    private static SimulationResult Result(ServingSetup setup, Replica[] fleet, MetricsCollector m, SimulationOptions options, double end)
    {
        var wall = Math.Max(end, 1e-12);
        var devices = fleet.Length * setup.DevicesPerReplica;
        var series = m.Series.Points(wall);
        var meanKv = series.Count == 0 ? 0 : series.Sum(p => p.KvUse * Math.Min(p.Width, Math.Max(0, wall - p.Start))) / wall;

        DollarsPerHour? perHour = null;
        Dollars? cost = null;
        DollarsPerMillionTokens? outputPrice = null, blendedPrice = null;
        if (options.Basis is { } basis)
        {
            perHour = basis.PerDevice(setup.Accelerator).Times(devices).Total;
            cost = perHour.Value * Seconds.FromSeconds(wall);
            if (m.OutputTokens > 0) outputPrice = cost.Value / Tokens.FromTokens(m.OutputTokens);
            if (m.OutputTokens + m.PromptTokens > 0) blendedPrice = cost.Value / Tokens.FromTokens(m.OutputTokens + m.PromptTokens);
        }

        return new SimulationResult(
            setup.Layout, fleet.Length, setup.DevicesPerReplica, devices, fleet[0].TotalBlocks, options.Scheduler.BlockTokens,
            m.Arrived, m.Completed, m.Rejected, m.Preemptions, m.PreemptedRequests, m.Steps, Seconds.FromSeconds(wall),
            LatencySummary.Of(m.Ttft), LatencySummary.Of(m.Tpot), LatencySummary.Of(m.EndToEnd), LatencySummary.Of(m.QueueWait),
            options.Slo, m.Good, m.Arrived == 0 ? 0 : (double)m.Good / m.Arrived, m.Good / wall, m.Completed / wall,
            TokensPerSecond.FromTokensPerSecond(m.OutputTokens / wall), TokensPerSecond.FromTokensPerSecond(m.PromptTokens / wall),
            m.BusyTime / (fleet.Length * wall), meanKv,
            Tokens.FromTokens(m.PromptTokens), Tokens.FromTokens(m.CachedTokens), Tokens.FromTokens(m.PrefillTokensComputed),
            Tokens.FromTokens(m.OutputTokens), perHour, cost, outputPrice, blendedPrice, series);
    }
}
