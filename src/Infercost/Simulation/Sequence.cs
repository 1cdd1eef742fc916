namespace Infercost.Simulation;

/// <summary>A request inside a replica: its progress through prefill and decode, and the KV blocks it holds.</summary>
internal sealed class Sequence(SimRequest request)
{
    public SimRequest Request { get; } = request;

    /// <summary>Tokens to generate: <see cref="SimRequest.OutputTokens"/>, kept beside the counters every step reads.</summary>
    /// <remarks>The runtime lays the request (a struct) out after the object's own fields, on another cache line; a
    /// step of a replica in a large fleet reads each running sequence's counters out of cache, so a copy here saves one
    /// miss per sequence per step.</remarks>
    public readonly int OutputTokens = request.OutputTokens;

    /// <summary>Tokens whose KV is in the cache.</summary>
    public int Computed;

    /// <summary>Tokens the current prefill must bring into the cache: the prompt, plus the tokens generated before a
    /// preemption when recomputing.</summary>
    public int Target = request.PromptTokens;

    /// <summary>Leading prompt tokens found in the prefix cache at first admission (the request's own figure until then).</summary>
    public int CachedTokens = request.CachedTokens;

    /// <summary>Output tokens generated so far.</summary>
    public int Generated;

    /// <summary>KV-cache blocks held.</summary>
    public int Blocks;

    /// <summary>Tokens scheduled in the current step (a prompt chunk, or 1 for a decode).</summary>
    public int Scheduled;

    /// <summary>When the first output token was produced; NaN until then.</summary>
    public double FirstTokenTime = double.NaN;

    /// <summary>True once the sequence has been admitted at least once.</summary>
    public bool Admitted;

    /// <summary>Times this sequence was preempted.</summary>
    public int Preemptions;

    /// <summary>Disaggregated serving: true from the end of its prefill on a prefill replica until a decode replica
    /// admits it and starts pulling its KV cache.</summary>
    public bool AwaitingTransfer;

    /// <summary>Disaggregated serving: when its prefill finished and it was handed to the decode pool.</summary>
    public double HandedOffAt = double.NaN;

    /// <summary>Disaggregated serving: when its KV cache has arrived on the decode replica (0 when not in transfer).</summary>
    public double ReadyAt;

    /// <summary>Disaggregated serving: the fleet pool whose prefill replica computed its prompt (the transfer's sender).</summary>
    public int SourcePool;

    public bool Prefilling => Computed < Target;
}
