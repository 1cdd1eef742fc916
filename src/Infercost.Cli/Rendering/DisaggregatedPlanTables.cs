using Infercost.Cli.Inputs;
using Infercost.Simulation;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Rendering;

/// <summary>Tables for <c>plan --disaggregated</c>: the two pools, their minimality, and the comparison with the
/// aggregated plan.</summary>
internal static class DisaggregatedPlanTables
{
    public static void Render(IAnsiConsole console, DisaggregatedPlan p, CapacityPlan? aggregated, string model, PlanInputs inputs)
    {
        var peak = p.AtPeak;
        console.Write(KeyValueTable.Create($"Disaggregated plan: {model} at {Number(p.PeakRate)} req/s peak",
        [
            ("Workload", $"prompt {SimulationInputs.Describe(inputs.Input)}, output {SimulationInputs.Describe(inputs.Output)}"),
            ("SLO (P90)", $"TTFT ≤ {Time(p.Slo.TimeToFirstToken)}, TPOT ≤ {Time(p.Slo.TimePerOutputToken)}"),
            ("Prefill pool", $"{Replicas(p.PrefillReplicas)} of {p.PrefillLayout} = {p.PrefillDevices} GPUs, {Percent(peak.Prefill.BusyFraction)} busy"),
            ("Decode pool", $"{Replicas(p.DecodeReplicas)} of {p.DecodeLayout} = {p.DecodeDevices} GPUs, {Percent(peak.Decode.BusyFraction)} busy"),
            ("At the peak", $"P90 TTFT {Time(peak.Fleet.TimeToFirstToken.P90)} (KV handoff P90 {Time(peak.Handoff.P90)}), P90 TPOT {Time(peak.Fleet.TimePerOutputToken.P90)}, {Number(peak.Fleet.Preemptions)} preemptions"),
            ("One prefill replica fewer", p.OnePrefillFewer is { } fp ? Misses(p.PrefillReplicas - 1, p.DecodeReplicas, fp) : "one prefill replica is the smallest pool"),
            ("One decode replica fewer", p.OneDecodeFewer is { } fd ? Misses(p.PrefillReplicas, p.DecodeReplicas - 1, fd) : "one decode replica is the smallest pool"),
            ("Trials", $"{p.Trials} simulations of {Number(peak.Fleet.Arrived)} requests each at the peak"),
        ]));

        var table = KeyValueTable.Grid("Disaggregated against aggregated", "Fleet", "Replicas", "GPUs", "P90 TTFT", "P90 TPOT", "$/MTok peak", "$/MTok day", "Output, day");
        if (aggregated is { } a)
        {
            table.AddTextRow("Aggregated", $"{a.Replicas} × {a.Parallelism}", Number(a.Devices), Time(a.AtPeak.TimeToFirstToken.P90), Time(a.AtPeak.TimePerOutputToken.P90),
                a.AtPeak.BlendedPerMillion is { } ab ? Money(ab) : "–", Money(a.FixedFleet.BlendedPerMillion), Money(a.FixedFleet.OutputPerMillion));
        }
        else
        {
            table.AddTextRow("Aggregated", "none meets the SLO", "–", "–", "–", "–", "–", "–");
        }

        table.AddTextRow("Disaggregated", $"{p.PrefillReplicas} × {p.PrefillParallelism} + {p.DecodeReplicas} × {p.DecodeParallelism}", Number(p.Devices), Time(peak.Fleet.TimeToFirstToken.P90),
            Time(peak.Fleet.TimePerOutputToken.P90), peak.Fleet.BlendedPerMillion is { } db ? Money(db) : "–", Money(p.FixedFleet.BlendedPerMillion),
            Money(p.FixedFleet.OutputPerMillion));
        console.Write(table);
        console.Write(new Text("$/MTok peak: the peak trial's cost ÷ its prompt + output tokens; day: the fleet fixed for 24 h ÷ the day's tokens " +
            "(output: ÷ output tokens). " +
            "The KV cache crosses the scale-out network (docs/simulation.md#disaggregated-prefill-and-decode).\n"));
    }

    /// <summary>The split plan at the band's engine speeds (<c>--bands</c>): both pools re-planned at each end.</summary>
    public static Table Bands(DisaggregatedPlan p, DisaggregatedPlanBands b)
    {
        var table = KeyValueTable.Grid($"The split plan at the band's engine speeds ({Times(b.Speed.Low)} and {Times(b.Speed.High)} of the model, both pools re-planned)",
            "", "As modelled", "Slow end (P10 speed)", "Fast end (P90 speed)");
        static string Pools(int prefill, int decode) =>
            $"{Number(prefill)} prefill {(prefill == 1 ? "replica" : "replicas")} + {Number(decode)} decode {(decode == 1 ? "replica" : "replicas")}";
        static string Of(DisaggregatedPlanEnd e) => e.Failure is { } why ? "none meets the SLO: " + why : Pools(e.PrefillReplicas!.Value, e.DecodeReplicas!.Value);
        table.AddTextRow("Pools", Pools(p.PrefillReplicas, p.DecodeReplicas), Of(b.Slow), Of(b.Fast));
        table.AddTextRow("GPUs", Number(p.Devices), b.Slow.Devices is { } sd ? Number(sd) : "-", b.Fast.Devices is { } fd ? Number(fd) : "-");
        table.AddTextRow("Fixed fleet, per day", Money(p.FixedFleet.Cost), b.Slow.FixedFleetPerDay is { } s ? Money(s) : "-", b.Fast.FixedFleetPerDay is { } f ? Money(f) : "-");
        table.AddTextRow("$/MTok output", Money(p.FixedFleet.OutputPerMillion), b.Slow.OutputPerMillion is { } so ? Money(so) : "-", b.Fast.OutputPerMillion is { } fo ? Money(fo) : "-");
        return table;
    }

    private static string Replicas(int n) => $"{n} {(n == 1 ? "replica" : "replicas")}";

    private static string Misses(int prefill, int decode, DisaggregatedResult r) =>
        $"{prefill} prefill + {decode} decode: P90 TTFT {Time(r.Fleet.TimeToFirstToken.P90)}, P90 TPOT {Time(r.Fleet.TimePerOutputToken.P90)}: " +
        (r.Fleet.MeetsSloAtP90 ? "meets the SLO" : "misses the SLO");
}
