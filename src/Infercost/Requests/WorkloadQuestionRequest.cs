using Infercost.Economics.Workloads;

namespace Infercost.Requests;

// workload, route and breakeven price one workload profile (scaled to a daily volume) with three savings levers, at
// list prices read on a date; the fields and their ranges are declared once here.

/// <summary>The fields every workload question shares: <c>profile</c>, <c>requestsPerDay</c>, the levers
/// (<c>cacheHit</c>, <c>compaction</c>, <c>outputReduction</c>) and the price date <c>on</c>.</summary>
public abstract record WorkloadQuestionRequest
{
    /// <summary>Accepted ranges.</summary>
    public static readonly NumberField RequestsPerDayField = new("requestsPerDay", 0, 1e12), CacheHitField = new("cacheHit", 0, 1),
        CompactionField = new("compaction", 0, 0.99), OutputReductionField = new("outputReduction", 0, 0.99);

    /// <summary>Workload profile id (chat, coding-agent, rag, reasoning, batch-summarisation, generation).</summary>
    public string Profile { get; init; } = "chat";

    /// <summary>Total requests (turns) per day, keeping the profile's mix; default the profile's volume.</summary>
    public double? RequestsPerDay { get; init; }

    /// <summary>Fraction of cacheable prompt tokens served from the prompt cache; default the profile's.</summary>
    public double? CacheHit { get; init; }

    /// <summary>Fraction of conversation history removed by context compaction.</summary>
    public double Compaction { get; init; }

    /// <summary>Fraction of output and reasoning tokens saved by a more token-efficient model.</summary>
    public double OutputReduction { get; init; }

    /// <summary>Read list prices as they were on this date; default the latest.</summary>
    public DateOnly? On { get; init; }

    /// <summary>Checks every field's range and the combinations of fields; the first problem is thrown.</summary>
    /// <exception cref="InvalidInputException">Names the field, the accepted range and the value given.</exception>
    public virtual void Validate()
    {
        WorkloadProfiles.Get(Profile);
        RequestsPerDayField.Check(RequestsPerDay);
        CacheHitField.Check(CacheHit);
        CompactionField.Check(Compaction);
        OutputReductionField.Check(OutputReduction);
    }

    /// <summary>The profile, scaled to <see cref="RequestsPerDay"/> when given.</summary>
    public Workload Workload()
    {
        var w = WorkloadProfiles.Get(Profile);
        return RequestsPerDay is { } v ? w.WithRequestsPerDay(v) : w;
    }

    /// <summary>The levers.</summary>
    public WorkloadLevers Levers() => new WorkloadLevers(CacheHit, Compaction, OutputReduction).Validated();
}
