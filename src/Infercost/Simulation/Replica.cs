using Infercost.Models;
using Infercost.Serving;

namespace Infercost.Simulation;

// The scheduler follows vLLM's (v0 block manager, v1 step order), reduced to the rules that move latency and throughput:
//  1. Each step has a token budget. Running sequences go first, oldest first: a decoding sequence takes 1 token, a
//     sequence still prefilling takes the next chunk of its prompt (chunked prefill), as far as the budget goes.
//  2. A decode that needs a new KV block when none is free preempts the newest running sequence (recompute policy: its
//     blocks are freed, it returns to the head of the queue and must prefill its prompt and generated tokens again);
//     if it is itself the newest, it preempts itself.
//  3. Then, unless someone was preempted in this step, waiting requests are admitted in arrival order while the
//     budget lasts, fewer than the sequence cap are running, and the blocks for the whole prompt are free (head-of-line
//     blocking, like vLLM's FCFS policy). Admission allocates the prompt's blocks at once.
//  4. The step lasts BatchStepModel.Cost(setup, batch).Total for exactly the chunks and decodes scheduled. A sequence
//     whose prefill completes in a step emits its first token at the step's end; each decode emits one token.
// In a disaggregated fleet the same scheduler runs each pool. A prefill replica hands a sequence whose prompt is done
// to the decode pool (and frees its blocks) instead of decoding it. A decode replica admits a handed-over sequence
// when the blocks for its prompt are free, then waits for its KV cache to cross the network (transfers into one
// replica queue on its link, one at a time) before decoding it; the first token is delivered when the transfer ends.

/// <summary>One replica of a serving engine: waiting queue, running batch, paged KV cache, and a clock.</summary>
internal sealed class Replica
{
    private readonly ServingSetup _setup;
    private readonly SchedulerConfig _config;
    private readonly MetricsCollector _metrics;
    // A fleet of several pools: the pool's own counts, kept beside the fleet's (never instead of them, so the fleet's
    // sums run in the same order as a run of one pool). Null outside such a fleet.
    private readonly MetricsCollector? _pool;
    // Both are structs held here (see SequenceList), so they are never readonly: a readonly struct field would be copied.
    private SequenceDeque _waiting = new();
    private SequenceList _running = new();
    private readonly double _window;
    private readonly double _fullShare;
    private readonly double _slidingShare;
    private readonly int _blockTokens;
    private readonly ReplicaRole _role;
    private readonly Action<Sequence, double>? _handoff;
    private readonly Func<Sequence, double>? _transferSeconds;
    private PrefixCache? _prefixCache;
    private readonly PrefixCacheSpec? _prefixSpec;
    private readonly Action<Sequence>? _onToken;
    private int _freeBlocks;
    private double _linkFreeAt;
    private readonly bool _fastForward;
    private DecodeStepPricer _decodePricer; // a struct with its cache: not readonly
    // Steps the running batch can surely not be fast-forwarded past, as the last Finish left it: 0 when a sequence was
    // prefilling or waiting for its KV, else the fewest tokens any sequence still has to generate, less one. Only a hint:
    // it lets FastForwardDecodes skip its scan when the scan must fail; the scan still checks everything.
    private long _decodeRunHint;
    private const int MaxFastForwardBlockTokens = 1024;
    // Speculative decoding (setup.Config.Speculation): the drafter, the draft length and the draws of accepted tokens.
    private readonly Speculation.Drafter? _drafter;
    private readonly int _draftLength;
    private readonly double _speed; // ServingConfig.SpeedFactor: modelled step time ÷ this
    private readonly int _verifyTokens; // draft tokens verified per sequence: k for a chain, the tree's nodes for a tree
    private readonly Pcg32? _acceptance;

    /// <summary>A replica; a <see cref="ReplicaRole.Prefill"/> replica passes finished prompts to
    /// <paramref name="handoff"/> (with the time), a <see cref="ReplicaRole.Decode"/> replica prices the KV transfer of a
    /// handed-over sequence's prompt with <paramref name="transferSeconds"/>.</summary>
    public Replica(ServingSetup setup, SchedulerConfig config, long totalBlocks, MetricsCollector metrics,
        ReplicaRole role = ReplicaRole.Combined, Action<Sequence, double>? handoff = null, Func<Sequence, double>? transferSeconds = null,
        PrefixCacheSpec? prefixCache = null, Action<Sequence>? onToken = null, long seed = 1, bool stepByStep = false, MetricsCollector? pool = null)
    {
        _pool = pool;
        _onToken = onToken;
        if (setup.Config.Speculation is { } speculation && role != ReplicaRole.Prefill)
        {
            _drafter = new Speculation.Drafter(setup, speculation);
            _draftLength = speculation.Length;
            _verifyTokens = speculation.VerifyTokens;
            _acceptance = new Pcg32(unchecked((seed * 0x5851F42D4C957F2DL) + 0x14057B7EF767814FL));
        }

        _setup = setup;
        _speed = setup.Config.SpeedFactor;
        _decodePricer = new DecodeStepPricer(setup);
        _config = config;
        _metrics = metrics;
        _role = role;
        _handoff = role == ReplicaRole.Prefill ? handoff ?? throw new ArgumentNullException(nameof(handoff)) : null;
        _transferSeconds = role == ReplicaRole.Decode ? transferSeconds ?? throw new ArgumentNullException(nameof(transferSeconds)) : null;
        _blockTokens = config.BlockTokens;
        TotalBlocks = (int)Math.Min(int.MaxValue / 2, totalBlocks);
        _freeBlocks = TotalBlocks;
        var (full, sliding, window) = KvCache.LayerSplit(setup.Model);
        _window = window;
        // Shares of a token's KV bytes: full and windowed layers may cache different widths (Gemma 4).
        var fullBytes = full * KvCache.FullLayerElementsPerToken(setup.Model);
        var slidingBytes = sliding * KvCache.ElementsPerTokenPerLayer(setup.Model);
        _fullShare = fullBytes / (fullBytes + slidingBytes);
        _slidingShare = slidingBytes / (fullBytes + slidingBytes);
        _fastForward = !stepByStep && _drafter is null && onToken is null && role != ReplicaRole.Prefill && _slidingShare == 0
            && (double.IsPositiveInfinity(_window) || (_window >= 0 && _window == Math.Floor(_window))) && _blockTokens <= MaxFastForwardBlockTokens;
        if (prefixCache is not null && role != ReplicaRole.Decode)
        {
            var capacity = prefixCache.KvPool ? Math.Max(1, (long)TotalBlocks * _blockTokens / prefixCache.BlockTokens) : prefixCache.CapacityBlocks;
            _prefixSpec = prefixCache;
            PrefixCapacityBlocks = capacity;
            if (prefixCache.Offload is { Count: > 0 } tiers)
            {
                // A tier's capacity is per replica, so it holds capacity ÷ (one block's bytes on the whole replica) blocks.
                var blockBytes = KvCache.BytesPerSequence(setup.Model, setup.KvFormat, prefixCache.BlockTokens) - KvCache.StateBytesPerSequence(setup.Model);
                _offloadBlocks = new long[tiers.Count];
                _offloadSecondsPerBlock = new double[tiers.Count];
                _offloadBytesPerBlock = PrefixReload.BytesPerBlockPerDevice(setup, prefixCache.BlockTokens).Value;
                for (var t = 0; t < tiers.Count; t++)
                {
                    _offloadBlocks[t] = Math.Max(1, (long)Math.Floor(tiers[t].Capacity.Value / Math.Max(blockBytes.Value, 1)));
                    _offloadSecondsPerBlock[t] = PrefixReload.ReloadPerBlock(setup, prefixCache.BlockTokens, tiers[t]).Value;
                }

                OffloadBlocksHit = new long[tiers.Count];
                _offloadEvictedBefore = new long[tiers.Count];
            }

            _prefixCache = NewPrefixCache();
        }
    }

    // Prefix-cache offload tiers (PrefixCacheSpec.Offload): capacity in blocks, reload seconds and bytes per block.
    private readonly long[]? _offloadBlocks;
    private readonly double[]? _offloadSecondsPerBlock;
    private readonly double _offloadBytesPerBlock;
    private readonly long[]? _offloadEvictedBefore;
    private double _pendingLoadSeconds;
    private int[]? _tierHitScratch;

    private PrefixCache NewPrefixCache()
    {
        PrefixCache? lower = null;
        for (var t = (_offloadBlocks?.Length ?? 0) - 1; t >= 0; t--) lower = new PrefixCache(_offloadBlocks![t], _prefixSpec!.BlockTokens, _prefixSpec.Eviction, lower);
        return new PrefixCache(PrefixCapacityBlocks, _prefixSpec!.BlockTokens, _prefixSpec.Eviction, lower);
    }

    /// <summary>Per offload tier: blocks of cached leading runs found there and reloaded; null without offload tiers.</summary>
    public long[]? OffloadBlocksHit { get; }

    /// <summary>Per offload tier: its capacity in blocks; null without offload tiers.</summary>
    public IReadOnlyList<long>? OffloadCapacityBlocks => _offloadBlocks;

    /// <summary>Bytes one prefix block reloads on one device.</summary>
    public double OffloadBytesPerBlock => _offloadBytesPerBlock;

    /// <summary>Seconds one block takes to reload from each tier.</summary>
    public IReadOnlyList<double>? OffloadSecondsPerBlock => _offloadSecondsPerBlock;

    /// <summary>Blocks evicted from offload tier <paramref name="tier"/> (dropped, or moved a tier down).</summary>
    public long OffloadEvictions(int tier) => _offloadEvictedBefore![tier] + (_prefixCache?.Tier(tier + 1).Evictions ?? 0);

    /// <summary>Prefix-cache capacity in prefix blocks; null when unbounded or without a cache.</summary>
    public long? PrefixCapacityBlocks { get; }

    /// <summary>Prefix blocks evicted from this replica's cache.</summary>
    public long PrefixEvictions => _evictedBefore + (_prefixCache?.Evictions ?? 0);

    private long _evictedBefore;

    public int TotalBlocks { get; }

    /// <summary>What the replica does with a request.</summary>
    public ReplicaRole Role => _role;

    /// <summary>Tokens per KV block (the scheduler's block size).</summary>
    public int BlockTokens => _blockTokens;
    public double Clock { get; private set; }
    public double BusyTime { get; private set; }
    public int Outstanding => _waiting.Count + _running.Count;

    /// <summary>Tokens of work held: over the requests waiting or running here, prompt tokens plus output tokens not yet
    /// generated (the load the least-tokens and affinity routers balance).</summary>
    public long OutstandingTokens { get; private set; }
    public bool HasWork => Outstanding > 0;
    public long CompletedCount { get; private set; }
    public long Steps { get; private set; }

    /// <summary>KV blocks a sequence with <paramref name="tokens"/> cached tokens holds: sliding-window layers keep at
    /// most the window, so a block counts the full-attention share of every token and the windowed share of the first W.</summary>
    public int BlocksFor(double tokens)
    {
        var equivalent = _slidingShare == 0 ? tokens : _fullShare * tokens + _slidingShare * Math.Min(tokens, _window);
        return (int)Math.Ceiling(equivalent / _blockTokens);
    }

    /// <summary>True when a request could ever be served here: its whole context (a prefill replica: its prompt) fits
    /// in the cache alone.</summary>
    public bool CanEverFit(in SimRequest r) =>
        BlocksFor(_role == ReplicaRole.Prefill ? r.PromptTokens : (double)r.PromptTokens + r.OutputTokens) <= TotalBlocks;

    /// <summary>Queues a request that arrives at its arrival time (an idle replica's clock jumps to it).</summary>
    public void Enqueue(in SimRequest r)
    {
        if (!HasWork && Clock < r.ArrivalTime) Clock = r.ArrivalTime;
        OutstandingTokens += (long)r.PromptTokens + r.OutputTokens;
        _waiting.PushBack(new Sequence(r));
    }

    /// <summary>Queues a sequence whose prompt a prefill replica finished at <paramref name="time"/>; its KV cache is
    /// pulled once it is admitted.</summary>
    public void EnqueueHandoff(Sequence s, double time)
    {
        if (!HasWork && Clock < time) Clock = time;
        s.AwaitingTransfer = true;
        s.HandedOffAt = time;
        OutstandingTokens += (long)s.Request.PromptTokens + s.Request.OutputTokens - s.Generated;
        _waiting.PushBack(s);
    }

    /// <summary>Runs steps that start before <paramref name="time"/>; an idle replica's clock moves to it.</summary>
    public void AdvanceTo(double time)
    {
        while (HasWork && Clock < time) Step(time);
        if (!HasWork && Clock < time) Clock = time;
    }

    /// <summary>Runs steps that start before <paramref name="time"/>, leaving an idle replica's clock where its work ended.</summary>
    public void RunUntil(double time)
    {
        while (HasWork && Clock < time) Step(time);
    }

    /// <summary>Runs steps until nothing is left.</summary>
    public void Drain()
    {
        while (HasWork) Step();
    }

    /// <summary>Schedules and runs one step. A decode replica with nothing to run but KV transfers in flight waits
    /// instead, until the first transfer ends or <paramref name="until"/>, whichever is sooner.</summary>
    public void Step(double until = double.PositiveInfinity)
    {
        if (_fastForward && FastForwardDecodes(until)) return;
        var budget = _config.MaxBatchedTokens;
        var batch = new BatchComposition();
        var preempted = false;
        var verified = 0;
        var verifiedContext = 0.0;
        // The running batch decodes as one group, from the fast-forward's totals, when the loop below would schedule
        // every sequence's decode without a preemption (see DecodesAsGroup; Finish then finishes the group's last
        // tokens without reading the other sequences).
        var grouped = DecodesAsGroup(ref batch);
        budget -= grouped;
        if (grouped > 0) _metrics.GroupedSteps++;

        for (var i = grouped; i < _running.Count && budget > 0; i++)
        {
            var s = _running[i];
            if (s.ReadyAt > Clock) continue; // its KV cache is still on the way
            if (s.Prefilling)
            {
                var chunk = Math.Min(s.Target - s.Computed, budget);
                batch.AddPrefillChunk(chunk, s.Computed, _window);
                s.Scheduled = chunk;
                budget -= chunk;
                continue;
            }

            // A speculative decode writes the KV of its k drafts (a tree's nodes) in the verify pass (the rejected ones are
            // dropped after).
            var extra = BlocksFor(s.Computed + 1 + _verifyTokens) - s.Blocks;
            var selfPreempted = false;
            while (extra > _freeBlocks && !selfPreempted)
            {
                var victim = _running.Last;
                Preempt(victim);
                preempted = true;
                selfPreempted = victim == s;
            }

            if (selfPreempted) break; // s was the newest: nothing follows it
            _freeBlocks -= extra;
            s.Blocks += extra;
            if (_drafter is null)
            {
                batch.AddDecode(s.Computed + 1, _window);
                s.Scheduled = 1;
                budget -= 1;
                continue;
            }

            Speculation.SpeculativeDecoding.AddVerify(ref batch, s.Computed + 1, _verifyTokens, _window);
            s.Scheduled = Accepted(s.Request.OutputTokens - s.Generated);
            verified++;
            verifiedContext += s.Computed + 1;
            budget -= 1 + _verifyTokens;
        }

        while (!preempted && budget > 0 && _waiting.Count > 0 && _running.Count < _config.MaxRunningSequences)
        {
            var s = _waiting.PeekFront();
            var need = BlocksFor(s.Target);
            if (need > _freeBlocks) break;
            _waiting.PopFront();
            _freeBlocks -= need;
            s.Blocks = need;
            if (s.AwaitingTransfer)
            {
                // Transfers into this replica share its link: each starts when the previous one has finished.
                s.AwaitingTransfer = false;
                s.ReadyAt = Math.Max(Clock, _linkFreeAt) + _transferSeconds!(s);
                _linkFreeAt = s.ReadyAt;
                s.FirstTokenTime = s.ReadyAt;
                _metrics.Handoff.Add(s.ReadyAt - s.HandedOffAt);
                _pool?.Handoff.Add(s.ReadyAt - s.HandedOffAt);
                _running.Add(s);
                continue;
            }

            if (!s.Admitted)
            {
                s.Admitted = true;
                if (_prefixCache is not null && s.Request.PrefixBlocks is { Count: > 0 } blocks)
                {
                    // The cached prefix is the run of leading blocks already held (equal ids: the same tokens).
                    int hit;
                    if (OffloadBlocksHit is { } tierHits)
                    {
                        var hits = _tierHitScratch ??= new int[tierHits.Length + 1];
                        Array.Clear(hits);
                        hit = _prefixCache.Admit(blocks, hits);
                        // Blocks found below HBM are read back over the tier's link before this step's prefill uses
                        // them; vLLM's connector loads before the forward pass, so the step waits for the load.
                        for (var t = 0; t < tierHits.Length; t++)
                        {
                            tierHits[t] += hits[t + 1];
                            _pendingLoadSeconds += hits[t + 1] * _offloadSecondsPerBlock![t];
                        }
                    }
                    else
                    {
                        hit = _prefixCache.Admit(blocks);
                    }

                    _metrics.PrefixBlocksLookedUp += blocks.Count;
                    _metrics.PrefixBlocksHit += hit;
                    if (_pool is { } p)
                    {
                        p.PrefixBlocksLookedUp += blocks.Count;
                        p.PrefixBlocksHit += hit;
                    }
                    s.CachedTokens = (int)Math.Min((long)hit * _prefixCache.BlockTokens, s.Request.PromptTokens);
                }

                s.Computed = Math.Min(s.CachedTokens, s.Target - 1);
                _metrics.QueueWait.Add(Clock - s.Request.ArrivalTime);
                _pool?.QueueWait.Add(Clock - s.Request.ArrivalTime);
            }

            var chunk = Math.Min(s.Target - s.Computed, budget);
            batch.AddPrefillChunk(chunk, s.Computed, _window);
            _metrics.PrefillTokensComputed += s.Target - s.Computed;
            if (_pool is { } q) q.PrefillTokensComputed += s.Target - s.Computed;
            s.Scheduled = chunk;
            budget -= chunk;
            _running.Add(s);
        }

        if (batch.PrefillTokens + batch.DecodeSequences <= 0)
        {
            var ready = double.PositiveInfinity;
            foreach (var s in _running.AsSpan()) ready = Math.Min(ready, s.ReadyAt);
            if (!(ready > Clock && ready < double.PositiveInfinity))
            {
                throw new InvalidOperationException("the scheduler found nothing to run although requests are outstanding.");
            }

            Clock = Math.Max(Clock, Math.Min(ready, until));
            return;
        }

        // A band scenario (ServingConfig.SpeedFactor) divides the modelled step by the engine's speed ratio; 1 leaves it exact.
        var duration = (_drafter is null || verified == 0
            ? BatchStepModel.Cost(_setup, batch).Total.Value
            : (Speculation.SpeculativeDecoding.VerifyWork(_setup, batch, _verifyTokens).Cost(_setup).Total
               + _drafter.Step(verified, verifiedContext / verified).Time).Value) / _speed;
        if (_pendingLoadSeconds > 0)
        {
            duration += _pendingLoadSeconds;
            _pendingLoadSeconds = 0;
        }

        _metrics.Series.Add(Clock, duration, 1 - (double)_freeBlocks / TotalBlocks, _waiting.Count, _running.Count);
        _pool?.Series.Add(Clock, duration, 1 - (double)_freeBlocks / TotalBlocks, _waiting.Count, _running.Count);
        Clock += duration;
        BusyTime += duration;
        _metrics.BusyTime += duration;
        _metrics.Steps++;
        Steps++;
        var members = Finish(grouped);
        // The batch's sequences are in cache now; the fast-forward's next call finds its scan done (see _ffValid).
        if (grouped > 0) JoinDecodes(members);
        else if (_fastForward && _decodeRunHint > 0) ScanDecodes();
    }

    // A regular step (one that admits a request, say) of a batch that the fast-forward holds as one group: while the
    // decodes of every running sequence are scheduled in order, each takes one token of the budget and the blocks its
    // context needs. The loop over them would allocate allocating[slot] blocks in all (so none is preempted when they
    // are free), take n tokens (all of them scheduled when n ≤ the budget), and add contexts summing to the group's
    // total (integers: the same double in any order); Finish would give each one token, and finish exactly those whose
    // last step (_ffEnd) is this one. Then the step is run from the totals without reading the sequences (their counters
    // wait in _ffPending) but those that finish, and the requests admitted in it join the group after it (JoinDecodes).
    // Returns the sequences so decoded (the whole running list), or 0 after settling the counters for a step that
    // reads every sequence.
    private int DecodesAsGroup(ref BatchComposition batch)
    {
        var n = _running.Count;
        if (!_ffValid || n == 0 || n > _config.MaxBatchedTokens || !double.IsPositiveInfinity(_window))
        {
            Settle();
            return 0;
        }

        var allocating = Allocating;
        var allocated = allocating[_ffSlot];
        if (allocated > _freeBlocks)
        {
            Settle();
            return 0;
        }

        _freeBlocks -= allocated;
        _ffSlot = _ffSlot + 1 == _blockTokens ? 0 : _ffSlot + 1;
        batch = BatchComposition.OfDecodes(n, _ffContextSum, _ffContextSum);
        return n;
    }

    // After a grouped step (Finish has moved the group's totals on by it): the sequences admitted in it (from `grouped`,
    // the group's members still running, on) join it when they decode in step with it, as ScanDecodes would find them;
    // else the counters are settled.
    private void JoinDecodes(int grouped)
    {
        var b = _blockTokens;
        var allocating = Allocating;
        var mask = (b & (b - 1)) == 0 ? b - 1 : -1;
        var joined = _running.AsSpan()[grouped..];
        foreach (var s in joined)
        {
            if (s.Prefilling || s.ReadyAt > Clock || double.IsNaN(s.FirstTokenTime) || s.Blocks != BlocksFor(s.Computed))
            {
                Settle(grouped); // the newcomers' counters are their own
                return;
            }
        }

        var ends = EndsFor(_running.Count);
        var at = grouped;
        foreach (var s in joined)
        {
            var c = s.Computed + 1;
            var left = (long)s.OutputTokens - s.Generated - 1;
            _ffSteps = Math.Min(_ffSteps, left);
            ends[at++] = left + _ffPending;
            _ffContextSum += c;
            _ffBelow++;
            _ffBelowSum += c;
            var residue = mask >= 0 ? (int)((1L - c) & mask) : (int)((((1L - c) % b) + b) % b);
            allocating[(_ffSlot + residue) % b]++;
            // Its counters join the others' in waiting for _ffPending steps (Settle adds them back).
            s.Computed -= (int)_ffPending;
            s.Generated -= (int)_ffPending;
        }
    }

    // Decode fast-forward. While every running sequence decodes and nothing can change the batch but time, the steps
    // differ only in their context lengths, which all grow by one token per step. Then the steps are run here in O(1)
    // each, from running totals, and each sequence's counters are brought up to date once at the end, instead of
    // scheduling and finishing every sequence at every step. Every step is the one Step would run, bit for bit:
    //  - the batch holds n decodes whose contexts sum to S + n·j at step j (integers: exact in a double, in any order);
    //  - a sequence needs a new KV block at step j exactly when its context c + j − 1 is a multiple of the block size
    //    (no sliding-window layers, so BlocksFor(t) = ⌈t ÷ B⌉), so the blocks allocated at step j are a count by residue;
    //  - the run stops before a step whose allocations would not fit (that step preempts: Step does it), before the
    //    first step in which a sequence finishes (Step does it), before a context crosses the window, and as soon as the
    //    clock reaches `until` (the caller's loop condition, so arrivals and events between steps see the same state);
    //  - the waiting queue cannot change inside the call, and free blocks only fall, so a head that cannot be admitted
    //    at the first step cannot be admitted at any later one.
    // Returns false (nothing changed) when the batch is not in that state; Step then runs one step as usual.
    //
    // Why the scan is kept between calls: in a large fleet an arrival comes every few microseconds and a replica is
    // advanced to each one it is behind, so most calls run a single step. A scan of the batch per call (and an update
    // of every sequence after it) then costs more than the step, and touches every sequence's object, which in a fleet
    // of thousands of replicas is out of cache. Between two calls with no other step in between, the batch is the one
    // the scan saw, every context grown by the steps run: the sums grow by n (or the sequences below the window) per
    // step, the residues turn by one slot per step, and the step limit falls by one. So the scan's totals are carried
    // on (_ff*), and the sequences' counters are brought up to date (Settle) only before something reads them: a
    // regular step, a failure, an abort. With a finite window a context may cross it between calls (it would then be
    // counted at the window, not below it), so such a replica scans at every call, as before.
    private bool _ffValid; // the _ff* totals describe the running batch as it stands
    private long _ffPending; // steps fast-forwarded since the sequences' counters were last brought up to date
    private long _ffContextSum, _ffBelowSum, _ffSteps;
    private int _ffBelow, _ffAbove, _ffSlot;
    // Sequences that allocate a block at each step residue mod B: inside the replica for B ≤ 16 (vLLM's default block),
    // on the heap beyond.
    private Residues _ffResidues;
    private int[]? _ffAllocating;
    // Per running sequence (same index), the value of _ffPending at the start of the step in which it finishes:
    // tokens to generate − generated (counted as the counters stand, less _ffPending) − 1.
    private long[] _ffEnd = new long[InlineResidues];

    private long[] EndsFor(int count)
    {
        if (_ffEnd.Length < count) Array.Resize(ref _ffEnd, Math.Max(count, 2 * _ffEnd.Length));
        return _ffEnd;
    }

    [System.Runtime.CompilerServices.InlineArray(InlineResidues)]
    private struct Residues
    {
        private int _first;
    }

    private const int InlineResidues = 16;

    private Span<int> Allocating => _blockTokens <= InlineResidues ? ((Span<int>)_ffResidues)[.._blockTokens] : _ffAllocating ??= new int[_blockTokens];

    private bool FastForwardDecodes(double until)
    {
        var n = _running.Count;
        if (_decodeRunHint <= 0 || n == 0 || n > _config.MaxBatchedTokens || !(Clock < until)) return false;
        if (_waiting.Count > 0 && _config.MaxBatchedTokens - n > 0 && n < _config.MaxRunningSequences
            && BlocksFor(_waiting.PeekFront().Target) <= _freeBlocks - n)
        {
            return false; // the head is admitted in this step whatever the decodes allocate
        }

        var b = _blockTokens;
        if (!_ffValid && !ScanDecodes()) return false;
        var allocating = Allocating;
        var steps = _ffSteps;
        if (steps <= 0) return false;
        var first = allocating[_ffSlot];
        if (first > _freeBlocks) return false;
        if (_waiting.Count > 0 && _config.MaxBatchedTokens - n > 0 && n < _config.MaxRunningSequences
            && BlocksFor(_waiting.PeekFront().Target) <= _freeBlocks - first)
        {
            return false; // the head would be admitted in this step
        }

        var (contextSum, belowSum, below) = (_ffContextSum, _ffBelowSum, _ffBelow);
        var windowedAbove = _ffAbove * (double.IsPositiveInfinity(_window) ? 0 : _window);
        long done = 0;
        var slot = _ffSlot; // (steps since the scan) mod B
        var kvUse = 1 - (double)_freeBlocks / TotalBlocks;
        // The sums run in locals, in the order Step adds them (no other replica runs inside this call), and are stored
        // back once: the same doubles as adding to the fields step by step.
        var freeBlocks = _freeBlocks;
        var waiting = _waiting.Count;
        var series = _metrics.Series;
        var poolSeries = _pool?.Series;
        double clock = Clock, busy = BusyTime, fleetBusy = _metrics.BusyTime;
        while (done < steps)
        {
            var allocated = allocating[slot];
            if (allocated > freeBlocks) break;
            if (allocated > 0)
            {
                freeBlocks -= allocated;
                kvUse = 1 - (double)freeBlocks / TotalBlocks;
            }

            slot = slot + 1 == b ? 0 : slot + 1;
            var full = (double)(contextSum + n * done);
            var windowed = double.IsPositiveInfinity(_window) ? full : (belowSum + below * done) + windowedAbove;
            var duration = _decodePricer.Seconds(n, full, windowed) / _speed;
            series.Add(clock, duration, kvUse, waiting, n);
            poolSeries?.Add(clock, duration, kvUse, waiting, n);
            clock += duration;
            busy += duration;
            fleetBusy += duration;
            done++;
            if (!(clock < until)) break;
        }

        _freeBlocks = freeBlocks;
        Clock = clock;
        BusyTime = busy;
        _metrics.BusyTime = fleetBusy;
        _metrics.Steps += done;
        Steps += done;
        _ffContextSum = contextSum + n * done;
        _ffBelowSum = belowSum + below * done;
        _ffSteps = steps - done;
        _ffSlot = slot;
        _ffPending += done;
        _ffValid = true;
        if (!double.IsPositiveInfinity(_window)) Settle();
        _decodeRunHint -= done;
        _metrics.FastForwardedSteps += done;
        OutstandingTokens -= n * done;
        _metrics.OutputTokens += n * done;
        if (_pool is { } p) p.OutputTokens += n * done;
        return true;
    }

    // The fast-forward's scan of the running batch (counters up to date): false when some sequence is not decoding
    // in step with the others (FastForwardDecodes then returns false), else the totals it carries, from slot 0.
    private bool ScanDecodes()
    {
        var b = _blockTokens;
        var allocating = Allocating;
        allocating.Clear();
        var mask = (b & (b - 1)) == 0 ? b - 1 : -1; // a power of two: (1 − c) mod B is its low bits (two's complement)
        long contextSum = 0, belowSum = 0;
        int below = 0, above = 0;
        var steps = long.MaxValue;
        var ends = EndsFor(_running.Count);
        var at = 0;
        foreach (var s in _running.AsSpan())
        {
            if (s.Prefilling || s.ReadyAt > Clock || double.IsNaN(s.FirstTokenTime)) return false;
            var c = s.Computed + 1; // the context it attends to at the first step
            if (s.Blocks != BlocksFor(c - 1)) return false;
            var left = (long)s.OutputTokens - s.Generated - 1;
            ends[at++] = left; // _ffPending is 0: the counters are up to date
            steps = Math.Min(steps, left); // its last token ends the run
            contextSum += c;
            if (double.IsPositiveInfinity(_window))
            {
                below++;
                belowSum += c;
            }
            else if (c < _window)
            {
                below++;
                belowSum += c;
                steps = Math.Min(steps, (long)(_window - c) + 1); // c + j stays ≤ W
            }
            else
            {
                above++;
            }

            allocating[mask >= 0 ? (int)((1L - c) & mask) : (int)((((1L - c) % b) + b) % b)]++;
        }

        (_ffContextSum, _ffBelowSum, _ffBelow, _ffAbove, _ffSteps, _ffSlot) = (contextSum, belowSum, below, above, steps, 0);
        _ffValid = true;
        return true;
    }

    // Brings the running sequences' counters (the first `count`: those that wait in _ffPending) up to the steps
    // fast-forwarded since they were last set, and drops the fast-forward's totals: the batch is about to change, or to
    // be read.
    private void Settle(int count = int.MaxValue)
    {
        _ffValid = false;
        if (_ffPending == 0) return;
        var done = (int)_ffPending;
        _ffPending = 0;
        var waited = _running.AsSpan();
        foreach (var s in waited[..Math.Min(count, waited.Length)])
        {
            s.Computed += done;
            s.Generated += done;
            s.Blocks = BlocksFor(s.Computed);
        }
    }

    /// <summary>The replica fails at its clock (the end of the step in progress at <paramref name="time"/>): every
    /// sequence it holds, running then waiting, is returned reset for recomputation (as a preemption: prompt and the
    /// tokens generated so far are prefilled again where it goes next; tokens already delivered stay delivered), and its
    /// KV and prefix caches are emptied.</summary>
    public List<Sequence> Fail(double time)
    {
        Settle();
        var lost = new List<Sequence>(_running.Count + _waiting.Count);
        foreach (var s in _running.AsSpan()) lost.Add(s);
        while (_waiting.Count > 0) lost.Add(_waiting.PopFront());
        _running.Clear();
        foreach (var s in lost)
        {
            s.Blocks = 0;
            s.Computed = 0;
            s.Scheduled = 0;
            s.Target = s.Request.PromptTokens + s.Generated;
        }

        _freeBlocks = TotalBlocks;
        OutstandingTokens = 0;
        _evictedBefore += _prefixCache?.Evictions ?? 0;
        for (var t = 0; t < (_offloadEvictedBefore?.Length ?? 0); t++) _offloadEvictedBefore![t] += _prefixCache!.Tier(t + 1).Evictions;
        _pendingLoadSeconds = 0;
        if (_prefixSpec is not null) _prefixCache = NewPrefixCache();
        if (Clock < time) Clock = time;
        return lost;
    }

    /// <summary>Queues a sequence taken from a failed replica at <paramref name="time"/>.</summary>
    public void EnqueueRestarted(Sequence s, double time)
    {
        if (!HasWork && Clock < time) Clock = time;
        OutstandingTokens += (long)s.Request.PromptTokens + s.Request.OutputTokens - s.Generated;
        _waiting.PushBack(s);
    }

    /// <summary>Drops request <paramref name="id"/> wherever it is (waiting or running), freeing its KV blocks at once,
    /// as an engine does when the client disconnects (vLLM and SGLang abort the request). Returns false when the request
    /// is not here (already finished or never queued).</summary>
    public bool Abort(long id)
    {
        Settle();
        var s = _waiting.Remove(q => q.Request.Id == id);
        if (s is null)
        {
            var i = _running.FindIndex(q => q.Request.Id == id);
            if (i < 0) return false;
            s = _running[i];
            _running.RemoveAt(i);
            _freeBlocks += s.Blocks;
            s.Blocks = 0;
        }

        OutstandingTokens -= (long)s.Request.PromptTokens + s.Request.OutputTokens - s.Generated;
        _metrics.Aborted++;
        return true;
    }

    private void Preempt(Sequence s)
    {
        _running.RemoveAt(_running.Count - 1);
        _freeBlocks += s.Blocks;
        s.Blocks = 0;
        s.Computed = 0;
        s.Scheduled = 0;
        s.Target = s.Request.PromptTokens + s.Generated;
        s.ReadyAt = 0;
        if (s.FirstTokenTime > Clock) s.FirstTokenTime = double.NaN; // preempted during its transfer: nothing delivered yet
        s.Preemptions++;
        _metrics.Preemptions++;
        if (_pool is { } p) p.Preemptions++;
        _waiting.PushFront(s);
    }

    // Tokens one speculative decode keeps, drawn with the replica's seeded generator: draft i (a tree's depth i) is
    // accepted with probability a_i once drafts 1..i−1 were (Leviathan et al. 2023), the verify pass adds one token (the correction or
    // the bonus), and a sequence never emits past its output length. The mean is SpeculationConfig.ExpectedTokensPerStep.
    private int Accepted(int remaining)
    {
        var config = _drafter!.Config;
        var kept = 1;
        for (var i = 1; i <= _draftLength && _acceptance!.NextBool(config.AcceptanceAt(i)); i++) kept++;
        return Math.Min(kept, Math.Max(1, remaining));
    }

    // Applies the step's work and removes finished sequences, keeping the running list in admission order.
    // The first `grouped` sequences decoded as a group (DecodesAsGroup): one token each; their counters wait in
    // _ffPending and only the totals move, but for those whose last step this was (_ffEnd), which are brought up to
    // date and finished here, in list order, as the loop below would. Returns the group's members still running.
    private int Finish(int grouped = 0)
    {
        var now = Clock;
        var kept = 0;
        var hint = long.MaxValue;
        if (grouped > 0)
        {
            OutstandingTokens -= grouped;
            _metrics.OutputTokens += grouped;
            if (_pool is { } g) g.OutputTokens += grouped;
            var pending = _ffPending; // before this step
            _ffPending = pending + 1;
            _ffContextSum += grouped;
            _ffBelowSum += grouped;
            if (_ffSteps >= 1)
            {
                kept = grouped;
                _ffSteps -= 1;
            }
            else
            {
                kept = FinishInGroup(grouped, pending, now);
            }

            hint = _ffSteps;
        }

        var members = kept;
        for (var i = grouped; i < _running.Count; i++)
        {
            var s = _running[i];
            var scheduled = s.Scheduled;
            s.Scheduled = 0;
            if (scheduled > 0)
            {
                var wasPrefilling = s.Prefilling;
                s.Computed += scheduled;
                if (!wasPrefilling || !s.Prefilling)
                {
                    // A prompt's last chunk emits one token; a decode emits what it scheduled (1, or a speculative
                    // step's accepted drafts plus the verify token).
                    var emitted = wasPrefilling ? 1 : scheduled;
                    for (var t = 0; t < emitted; t++)
                    {
                        s.Generated++;
                        OutstandingTokens--;
                        _metrics.OutputTokens++;
                        if (_pool is { } p) p.OutputTokens++;
                        if (double.IsNaN(s.FirstTokenTime) && (_role != ReplicaRole.Prefill || s.Generated >= s.OutputTokens)) s.FirstTokenTime = now;
                        _onToken?.Invoke(s);
                    }
                }

                if (s.Generated >= s.OutputTokens)
                {
                    // A finished turn of a generated session leaves its prompt and output cached, block by block (the
                    // prompt's blocks are refreshed, the output's added), as vLLM keeps a finished sequence's full
                    // blocks; the session's next prompt starts with them.
                    if (_prefixCache is not null && s.Request.PrefixBlocks is SessionBlocks session)
                    {
                        _prefixCache.Admit(session.Through((long)s.Request.PromptTokens + s.Request.OutputTokens, _prefixCache.BlockTokens));
                    }

                    _freeBlocks += s.Blocks;
                    s.Blocks = 0;
                    OutstandingTokens -= s.Request.PromptTokens;
                    _metrics.Complete(s, now);
                    _pool?.Complete(s, now);
                    CompletedCount++;
                    continue;
                }

                if (_role == ReplicaRole.Prefill && !s.Prefilling)
                {
                    // Prompt done: the KV cache leaves for the decode pool (the blocks are freed at once; see docs).
                    _freeBlocks += s.Blocks;
                    s.Blocks = 0;
                    OutstandingTokens -= (long)s.Request.PromptTokens + s.Request.OutputTokens - s.Generated;
                    _handoff!(s, now);
                    continue;
                }
            }

            hint = s.Prefilling || s.ReadyAt > now ? 0 : Math.Min(hint, (long)s.OutputTokens - s.Generated - 1);
            _running.Set(kept++, s);
        }

        _running.Truncate(kept);
        _decodeRunHint = hint;
        return members;
    }

    // A grouped step's finishes: members whose last step started at `pending` get their counters (as Settle would
    // leave them after the step) and finish; the others move down the list (and their ends with them). The group's
    // totals lose each finished context (as it would be at the next step), the step limit is the next end.
    private int FinishInGroup(int grouped, long pending, double now)
    {
        var ends = _ffEnd;
        var b = _blockTokens;
        var allocating = Allocating;
        var kept = 0;
        var next = long.MaxValue;
        for (var i = 0; i < grouped; i++)
        {
            var s = _running[i];
            var end = ends[i];
            if (end != pending)
            {
                ends[kept] = end;
                _running.Set(kept++, s);
                next = Math.Min(next, end);
                continue;
            }

            s.Computed += (int)pending + 1;
            s.Generated += (int)pending + 1;
            var c = s.Computed + 1;
            _ffContextSum -= c;
            _ffBelowSum -= c;
            _ffBelow--;
            allocating[(int)((_ffSlot + ((((1L - c) % b) + b) % b)) % b)]--;
            if (_prefixCache is not null && s.Request.PrefixBlocks is SessionBlocks session)
            {
                _prefixCache.Admit(session.Through((long)s.Request.PromptTokens + s.Request.OutputTokens, _prefixCache.BlockTokens));
            }

            _freeBlocks += BlocksFor(s.Computed);
            s.Blocks = 0;
            OutstandingTokens -= s.Request.PromptTokens;
            _metrics.Complete(s, now);
            _pool?.Complete(s, now);
            CompletedCount++;
        }

        _ffSteps = next == long.MaxValue ? long.MaxValue : next - (pending + 1);
        return kept;
    }
}

