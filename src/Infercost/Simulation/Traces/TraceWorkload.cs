namespace Infercost.Simulation.Traces;

// The planner sizes fleets on its own generated trial streams (common random numbers across trials), so a trace
// enters it as the workload it describes: its rate, the burstiness of its gaps and its length histograms. Memory is
// bounded by the number of distinct lengths, not by the trace's length.

/// <summary>A trace summarised as a workload for the capacity planner.</summary>
/// <param name="Requests">Requests replayed.</param>
/// <param name="Span">Seconds from the first to the last arrival.</param>
/// <param name="Rate">Mean arrival rate, requests per second: (requests − 1) ÷ span.</param>
/// <param name="GapCv">Coefficient of variation of the gaps between arrivals (1 for Poisson; above 1 is bursty).</param>
/// <param name="Input">Prompt lengths as recorded.</param>
/// <param name="Output">Output lengths as recorded.</param>
/// <param name="ReusedBlockShare">Mooncake: share of prompt blocks whose id appeared in an earlier request (the hit
/// rate an unbounded prefix cache would reach); null without block ids.</param>
public sealed record TraceWorkload(long Requests, double Span, double Rate, double GapCv, EmpiricalLength Input, EmpiricalLength Output,
    double? ReusedBlockShare)
{
    /// <summary>Most distinct block ids remembered for <see cref="ReusedBlockShare"/>; beyond it the share is not reported.</summary>
    public const int MaxTrackedBlocks = 20_000_000;

    /// <summary>Reads <paramref name="requests"/> once and summarises it.</summary>
    /// <exception cref="InvalidInputException">Fewer than two requests, or all at one instant (no rate).</exception>
    public static TraceWorkload Of(IEnumerable<SimRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var inputs = new Dictionary<int, long>();
        var outputs = new Dictionary<int, long>();
        HashSet<long>? seen = [];
        long count = 0, blocks = 0, reused = 0;
        double first = 0, last = 0, sumGap = 0, sumGap2 = 0;
        foreach (var r in requests)
        {
            if (count == 0) first = r.ArrivalTime;
            else
            {
                var gap = r.ArrivalTime - last;
                sumGap += gap;
                sumGap2 += gap * gap;
            }

            last = r.ArrivalTime;
            count++;
            inputs[r.PromptTokens] = inputs.GetValueOrDefault(r.PromptTokens) + 1;
            outputs[r.OutputTokens] = outputs.GetValueOrDefault(r.OutputTokens) + 1;
            if (seen is not null && r.PrefixBlocks is { } ids)
            {
                blocks += ids.Count;
                foreach (var id in ids)
                {
                    if (!seen.Add(id)) reused++;
                }

                if (seen.Count > MaxTrackedBlocks) seen = null;
            }
        }

        var span = last - first;
        if (count < 2 || !(span > 0)) throw new InvalidInputException("trace", $"trace must hold at least two requests at different times to give a rate; had {count} over {Guard.Format(span)} s.");
        var gaps = count - 1;
        var mean = sumGap / gaps;
        var variance = Math.Max(0, sumGap2 / gaps - mean * mean);
        return new TraceWorkload(count, span, gaps / span, Math.Sqrt(variance) / mean, Histogram(inputs), Histogram(outputs),
            seen is not null && blocks > 0 ? (double)reused / blocks : null);
    }

    private static EmpiricalLength Histogram(Dictionary<int, long> counts) =>
        new([.. counts.OrderBy(p => p.Key).Select(p => (p.Key, (double)p.Value))]);
}
