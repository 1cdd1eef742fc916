using Infercost.Calibration;
using Infercost.Quantities;
using Infercost.Simulation;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Rendering;

/// <summary>Tables for simulation results.</summary>
internal static class SimulationTables
{
    public static void Render(IAnsiConsole console, SimulationResult r, string arrivals, string input, string output, SchedulerConfig scheduler)
    {
        console.Write(KeyValueTable.Create("Simulation",
        [
            ("Fleet", (r.Layout.Contains(" + ", StringComparison.Ordinal) ? $"{r.Replicas} replicas: {r.Layout}" : $"{r.Replicas} {(r.Replicas == 1 ? "replica" : "replicas")} of {r.Layout}")
                + $" = {r.TotalDevices} devices" + (r.Replicas > 1 ? $", {r.Router} router" : "")),
            ("Arrivals", arrivals),
            ("Prompt / output", $"{input} / {output}"),
            ("Scheduler", $"{Number(scheduler.MaxBatchedTokens)} tokens per step, {Number(scheduler.MaxRunningSequences)} sequences, {scheduler.BlockTokens}-token blocks"),
            ("KV cache per replica", $"{Number(r.KvBlocksPerReplica)} blocks = {Count((double)r.KvBlocksPerReplica * r.BlockTokens)} tokens"),
            ("Simulated time", Time(r.WallTime) + $" ({Number(r.Steps)} steps)"),
        ]));
        console.Write(Latency(r));
        console.Write(KeyValueTable.Create("Throughput and SLO",
        [
            ("Requests", $"{Number(r.Completed)} completed of {Number(r.Arrived)}" + (r.Rejected > 0 ? $", {Number(r.Rejected)} rejected (too long for the KV cache)" : "")),
            ("Preemptions", $"{Number(r.Preemptions)} ({Number(r.PreemptedRequests)} requests preempted at least once)"),
            ("Output throughput", Rate(r.OutputThroughput) + $" ({Rate(r.OutputThroughput / r.TotalDevices)} per GPU)"),
            ("Input throughput", Rate(r.InputThroughput)),
            ("Goodput", $"{Number(r.GoodputRequestsPerSecond)} req/s ({Percent(r.GoodFraction)} of requests meet TTFT ≤ {Time(r.Slo.TimeToFirstToken)} and TPOT ≤ {Time(r.Slo.TimePerOutputToken)})"),
            ("P90 meets SLO", r.MeetsSloAtP90 ? "yes" : "no"),
            ("GPU busy", Percent(r.BusyFraction)),
            ("Mean KV use", Percent(r.MeanKvUse)),
            ("Prefix cache", r.CachedPromptTokens.Value > 0 ? $"{Percent(r.CachedPromptTokens.Value / Math.Max(1, r.PromptTokens.Value))} of prompt tokens cached" : null),
            ("Prefix blocks", r.PrefixCache is { } pc
                ? $"{Percent(pc.HitRate)} hit ({Number(pc.BlocksHit)} of {Number(pc.BlocksLookedUp)} {pc.BlockTokens}-token blocks), " +
                  $"capacity {(pc.CapacityBlocks is { } c ? Number(c) + " blocks per replica" : "unbounded")}, {pc.Eviction.ToString().ToUpperInvariant()}, {Number(pc.Evictions)} evicted"
                : null),
            ("Offload tiers", r.PrefixCache?.Offload is { Count: > 0 } tiers
                ? string.Join("; ", tiers.Select((t, i) => $"tier {i + 1} ({Number(t.CapacityBlocks)} blocks per replica at {Guard.Format(t.BandwidthGbps)} GB/s): " +
                    $"{Number(t.BlocksHit)} blocks reloaded ({Guard.Format(Math.Round(t.BytesLoaded / 1e9, 3))} GB per device), {Time(Quantities.Seconds.FromSeconds(t.LoadSeconds))} of step time, {Number(t.Evictions)} evicted"))
                : null),
        ]));
        if (r.ClusterPerHour is { } perHour && r.Cost is { } cost)
        {
            console.Write(KeyValueTable.Create("Cost (idle time included)",
            [
                ("Fleet", Money(perHour)),
                ("Run", Money(cost)),
                ("$/MTok output", r.OutputPerMillion is { } o ? Money(o) : "–"),
                ("$/MTok blended", r.BlendedPerMillion is { } b ? Money(b) : "–"),
            ]));
        }

        console.Write(Series(r.Series, 12));
    }

    /// <summary>Each pool of a heterogeneous fleet: its share of the traffic, latency, throughput, busy time and cost.</summary>
    public static Table Pools(IReadOnlyList<PoolResult> pools)
    {
        // With failures or autoscaling each pool also shows its own share of them (the fleet's line sums them).
        var failures = pools.Any(p => p.Result.Failures is not null);
        var autoscale = pools.Any(p => p.Result.Autoscale is not null);
        // With roles a prefill pool's "routed" is its share of the arrivals, a decode pool's its share of the handovers.
        var roles = pools.Any(p => p.Role != ReplicaRole.Combined);
        var table = KeyValueTable.Grid(roles ? "Pools (prefill and decode)" : "Pools (one router over all)", "Pool", roles ? "Role" : null, "Replicas", "Routed", "Completed", "TTFT P50 / P99", "TPOT P50 / P99",
            "Output", "Busy", failures ? "Failures" : null, autoscale ? "Replicas paid (mean, peak)" : null, "Fleet $/h", "$/MTok blended");
        foreach (var p in pools)
        {
            var r = p.Result;
            table.AddTextRow(p.Name, roles ? p.Role.ToString().ToLowerInvariant() : null, $"{r.Replicas} of {r.Layout}", Percent(p.RoutedShare),
                Number(r.Completed) + (r.Rejected > 0 ? $" ({Number(r.Rejected)} rejected)" : ""),
                $"{Time(r.TimeToFirstToken.P50)} / {Time(r.TimeToFirstToken.P99)}", $"{Time(r.TimePerOutputToken.P50)} / {Time(r.TimePerOutputToken.P99)}",
                Rate(r.OutputThroughput), Percent(r.BusyFraction),
                failures ? r.Failures is { } f ? $"{Number(f.Failures)} ({Number(f.InterruptedRequests)} requests recomputed)" : "–" : null,
                autoscale ? r.Autoscale is { } a ? $"{a.MeanReplicas.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}, {Number(a.PeakReplicas)}" : "–" : null,
                r.ClusterPerHour is { } h ? Money(h) : "–", r.BlendedPerMillion is { } b ? Money(b) : "–");
        }

        return table;
    }

    public static Table Spread(SimulationSpread s)
    {
        var table = KeyValueTable.Grid($"Across {s.Runs} seeds (the tables above are seed {s.Seeds[0]}'s)", "", "Mean", "Min", "Max");
        table.AddTextRow("TTFT P50", Time(s.TimeToFirstTokenP50.Mean), Time(s.TimeToFirstTokenP50.Min), Time(s.TimeToFirstTokenP50.Max));
        table.AddTextRow("TTFT P99", Time(s.TimeToFirstTokenP99.Mean), Time(s.TimeToFirstTokenP99.Min), Time(s.TimeToFirstTokenP99.Max));
        table.AddTextRow("TPOT P99", Time(s.TimePerOutputTokenP99.Mean), Time(s.TimePerOutputTokenP99.Min), Time(s.TimePerOutputTokenP99.Max));
        table.AddTextRow("Meet the SLO", Percent(s.GoodFraction.Mean), Percent(s.GoodFraction.Min), Percent(s.GoodFraction.Max));
        table.AddTextRow("Output throughput", Rate(s.OutputThroughput.Mean), Rate(s.OutputThroughput.Min), Rate(s.OutputThroughput.Max));
        if (s.BlendedPerMillion is { } b) table.AddTextRow("$/MTok blended", Money(b.Mean), Money(b.Min), Money(b.Max));
        return table;
    }

    public static Table Bands(SimulationBands b)
    {
        var table = KeyValueTable.Grid($"P10–P90 (engine speed × {b.Speed.Low.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} … × {b.Speed.High.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)} of the model, re-simulated)", "", "Simulated", "P10", "P90");
        void Times(string name, Banded x) => table.AddTextRow(name, Time(Seconds.FromSeconds(x.Value)), Time(Seconds.FromSeconds(x.P10)), Time(Seconds.FromSeconds(x.P90)));
        Times("Wall time", b.WallTime);
        Times("TTFT mean", b.TtftMean);
        Times("TTFT P50", b.TtftP50);
        Times("TTFT P90", b.TtftP90);
        Times("TPOT mean", b.TpotMean);
        Times("TPOT P90", b.TpotP90);
        Times("End to end mean", b.EndToEndMean);
        table.AddTextRow("Output throughput", Rate(TokensPerSecond.FromTokensPerSecond(b.OutputThroughput.Value)), Rate(TokensPerSecond.FromTokensPerSecond(b.OutputThroughput.P10)), Rate(TokensPerSecond.FromTokensPerSecond(b.OutputThroughput.P90)));
        table.AddTextRow("Meet the SLO", Percent(b.GoodFraction.Value), Percent(b.GoodFraction.P10), Percent(b.GoodFraction.P90));
        if (b.OutputPerMillion is { } m) table.AddTextRow("$/MTok output", Money(m.Value) + "/MTok", Money(m.P10) + "/MTok", Money(m.P90) + "/MTok");
        return table;
    }

    public static Table Latency(SimulationResult r)
    {
        var table = KeyValueTable.Grid("Latency", "", "Mean", "P50", "P90", "P99", "Max");
        foreach (var (name, s) in new[] { ("Time to first token", r.TimeToFirstToken), ("Time per output token", r.TimePerOutputToken), ("End to end", r.EndToEnd), ("Queue wait", r.QueueWait) })
        {
            table.AddTextRow(name, Time(s.Mean), Time(s.P50), Time(s.P90), Time(s.P99), Time(s.Max));
        }

        return table;
    }

    // The series regrouped into at most `rows` rows, time-weighted.
    public static Table Series(IReadOnlyList<TimeSeriesPoint> series, int rows)
    {
        var table = KeyValueTable.Grid("Over time (time-averaged)", "From", "KV use", "Waiting", "Running", "Busy");
        if (series.Count == 0) return table;
        var group = (int)Math.Ceiling(series.Count / (double)rows);
        for (var i = 0; i < series.Count; i += group)
        {
            var part = series.Skip(i).Take(group).ToList();
            table.AddTextRow(Time(Seconds.FromSeconds(part[0].Start)), Percent(part.Average(p => p.KvUse)),
                Number(part.Average(p => p.Waiting)), Number(part.Average(p => p.Running)), Percent(part.Average(p => p.Busy)));
        }

        return table;
    }
}
