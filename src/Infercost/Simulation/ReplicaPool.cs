namespace Infercost.Simulation;

// Why no arrival scans the fleet:
//  * Replicas do not interact between arrivals, so a replica need only be brought up to an arrival's time if it has a
//    step to start before it. Replicas with work sit in a priority queue keyed by their clock (the start of their next
//    step); an arrival pops those whose clock is earlier, advances each, and puts back those still busy. Idle replicas
//    are never touched, and each pop runs at least one step, so the queue costs O(log R) per step, not O(R) per arrival.
//    The result is the same as advancing every replica on every arrival (what the simulator did before), because a
//    replica's steps do not depend on when it is advanced, only on what was enqueued and when.
//  * The least-loaded policies read a tournament tree over the replicas' loads (min at the root, lowest index on ties,
//    as a left-to-right scan would choose); a replica's leaf is updated when it is advanced or given work: O(log R).
//  * Round-robin and power-of-two read one or two replicas: O(1). Affinity hashes its key to two replicas, O(1), and
//    falls back to the tree. Prefix affinity looks up the prompt's blocks in a map from block id to the replica last
//    sent a prompt holding it: O(blocks of the prompt), what the replica's own cache does on admission.

/// <summary>A pool of replicas behind one router: brings them to an arrival's time and picks the replica for it.</summary>
internal sealed class ReplicaPool
{
    /// <summary>Bounded-load factor c of consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam,
    /// SODA 2018): a replica's capacity is ⌈c (m + 1) / R⌉ requests with m outstanding over R replicas. 1.25 is the value
    /// of their evaluation and HAProxy's hash-balance-factor 125.</summary>
    public const double BoundedLoadFactor = 1.25;

    /// <summary>Outstanding requests by which an affinity candidate may exceed the least-loaded replica before the request
    /// spills: SGLang's cache-aware router's balance_abs_threshold default, 32. An affinity router spills only when both
    /// this and the bounded load are exceeded, so a lightly loaded fleet keeps every key where its cache is.</summary>
    public const int AbsoluteImbalance = 32;

    /// <summary>Prefix affinity follows the replica that took a prompt's longest known leading run of blocks only when that
    /// run is at least this share of the prompt (SGLang's cache-aware router's cache_threshold default, 0.5), so a
    /// shared system prompt alone does not pull every conversation to one replica.</summary>
    public const double CacheThreshold = 0.5;

    private readonly PriorityQueue<int, double> _busy = new();
    private readonly bool[] _queued;
    private readonly RouterPolicy _policy;
    private readonly bool _tree;
    private readonly int _leaves;
    private readonly int[] _winner;
    private readonly long[] _load;
    private readonly Pcg32 _random;
    private readonly Dictionary<long, int> _owner = [];
    private readonly bool[] _down;
    private readonly double[]? _weights;
    private long _totalLoad;
    private int _upCount;
    private int _next;

    /// <summary>A pool; with <paramref name="failures"/> replicas can be taken down and brought back, and every policy
    /// keeps the load tree so that a pick that lands on a down replica goes to the least loaded one up.</summary>
    /// <param name="replicas">The replicas.</param>
    /// <param name="policy">The router's policy.</param>
    /// <param name="seed">Seed of the router's own draws.</param>
    /// <param name="failures">Replicas can be taken down and brought back.</param>
    /// <param name="weights">Each replica's service rate, relative (in (0, 1]), for a fleet of unequal replicas: the
    /// load-aware policies then compare load ÷ weight (see <see cref="FleetRouting"/>). Null for equal replicas, which
    /// compare raw loads: exactly the choices of a fleet of one kind.</param>
    /// <param name="restricted">Picks may be restricted to some pools (<see cref="PickAmong"/>): every policy keeps the
    /// load tree. It is only read by such picks, so the choices of the policy itself do not change.</param>
    public ReplicaPool(Replica[] replicas, RouterPolicy policy, long seed, bool failures = false, double[]? weights = null, bool restricted = false)
    {
        Replicas = replicas;
        if (weights is not null && weights.Length != replicas.Length) throw new ArgumentException("one weight per replica", nameof(weights));
        _weights = weights;
        _policy = policy;
        _queued = new bool[replicas.Length];
        _down = new bool[replicas.Length];
        _upCount = replicas.Length;
        _random = new Pcg32(unchecked((long)Mix((ulong)seed ^ 0x9E3779B97F4A7C15UL))); // not the workload's stream for the same seed
        _tree = failures || restricted || policy is RouterPolicy.LeastRequests or RouterPolicy.LeastTokens or RouterPolicy.Session or RouterPolicy.Prefix;
        _leaves = 1;
        while (_leaves < replicas.Length) _leaves *= 2;
        _load = new long[replicas.Length];
        _winner = _tree ? new int[2 * _leaves] : [];
        if (!_tree) return;
        for (var i = 0; i < _leaves; i++) _winner[_leaves + i] = Math.Min(i, replicas.Length - 1);
        for (var n = _leaves - 1; n >= 1; n--) _winner[n] = Better(_winner[2 * n], _winner[2 * n + 1]);
    }

    public Replica[] Replicas { get; }

    /// <summary>Runs every replica's steps that start before <paramref name="time"/>.</summary>
    public void AdvanceTo(double time) => Advance(time, idleToo: true);

    /// <summary>As <see cref="AdvanceTo"/>, but a replica whose work ends before <paramref name="time"/> keeps its clock
    /// there (the run may end before <paramref name="time"/>).</summary>
    public void RunUntil(double time) => Advance(time, idleToo: false);

    private void Advance(double time, bool idleToo)
    {
        while (_busy.TryPeek(out var i, out var clock) && clock < time)
        {
            var replica = Replicas[i];
            if (idleToo) replica.AdvanceTo(time);
            else replica.RunUntil(time);
            Update(i);
            if (replica.HasWork)
            {
                _busy.DequeueEnqueue(i, replica.Clock); // one sift instead of two
            }
            else
            {
                _busy.Dequeue();
                _queued[i] = false;
            }
        }
    }

    /// <summary>Replicas up.</summary>
    public int UpCount => _upCount;

    /// <summary>True while some replica has a step to run.</summary>
    public bool Busy => _busy.Count > 0;

    /// <summary>Whether replica <paramref name="i"/> is down.</summary>
    public bool IsDown(int i) => _down[i];

    /// <summary>Takes replica <paramref name="i"/> down at <paramref name="time"/> (advance the pool to it first); returns
    /// what it held, reset for recomputation.</summary>
    public List<Sequence> Fail(int i, double time)
    {
        var lost = Replicas[i].Fail(time);
        _down[i] = true;
        _upCount--;
        Update(i);
        return lost;
    }

    /// <summary>Brings replica <paramref name="i"/> back, empty, at <paramref name="time"/>.</summary>
    public void Recover(int i, double time)
    {
        Replicas[i].AdvanceTo(time);
        _down[i] = false;
        _upCount++;
        Update(i);
    }

    /// <summary>Makes replica <paramref name="i"/> take new requests (at <paramref name="time"/>, its clock brought there if
    /// idle) or stop taking them; unlike <see cref="Fail"/>, what it holds runs on (autoscaling's drain).</summary>
    public void SetRoutable(int i, bool routable, double time)
    {
        if (routable == !_down[i]) return;
        if (routable && !Replicas[i].HasWork) Replicas[i].AdvanceTo(time);
        _down[i] = !routable;
        _upCount += routable ? 1 : -1;
        Update(i);
    }

    /// <summary>Queues a sequence taken from a failed replica on replica <paramref name="i"/>.</summary>
    public void EnqueueRestarted(int i, Sequence s, double time)
    {
        Replicas[i].EnqueueRestarted(s, time);
        Queued(i);
    }

    /// <summary>The replica for <paramref name="r"/>, never a down one; -1 when every replica is down. Call after
    /// <see cref="AdvanceTo"/> its arrival time.</summary>
    public int Pick(in SimRequest r)
    {
        if (_upCount == 0) return -1;
        var pick = Choose(r);
        return _down[pick] ? _winner[1] : pick;
    }

    /// <summary>The replica for a sequence that must stay in the pool of replicas [<paramref name="from"/>,
    /// <paramref name="to"/>) (a request interrupted by a failure, recomputed in its own pool of a fleet of several): the
    /// router's pick when it lands there on a replica up, else the least loaded replica up there (load ÷ weight, equal
    /// within a pool); -1 when every replica there is down. Needs the load tree (<c>failures</c>).</summary>
    public int PickIn(in SimRequest r, int from, int to)
    {
        if (_upCount == 0) return -1;
        var pick = Choose(r);
        if (pick >= from && pick < to && !_down[pick]) return pick;
        var best = LeastIn(from, to);
        return best < 0 || _down[best] ? -1 : best;
    }

    /// <summary>The replica for <paramref name="r"/> among the pools marked in <paramref name="allowed"/> (pool p holds
    /// replicas [<paramref name="start"/>[p], <paramref name="start"/>[p + 1])): the router's pick when it lands on a
    /// replica up of an allowed pool, else the least loaded replica up of those pools (load ÷ weight; lowest index on
    /// ties); -1 when every replica there is down. O(log R) per allowed pool. Needs the load tree.</summary>
    public int PickAmong(in SimRequest r, int[] start, bool[] allowed)
    {
        if (_upCount == 0) return -1;
        var pick = Choose(r);
        var best = -1;
        for (var p = 0; p < allowed.Length; p++)
        {
            if (!allowed[p]) continue;
            if (pick >= start[p] && pick < start[p + 1] && !_down[pick]) return pick;
            var least = LeastIn(start[p], start[p + 1]);
            if (least >= 0 && !_down[least]) best = best < 0 ? least : Better(best, least);
        }

        return best;
    }

    // The least loaded replica of [from, to) by the tournament tree's winners over the fewest nodes that cover it: O(log R).
    private int LeastIn(int from, int to)
    {
        var best = -1;
        for (int l = from + _leaves, h = to + _leaves; l < h; l >>= 1, h >>= 1)
        {
            if ((l & 1) == 1)
            {
                best = best < 0 ? _winner[l] : Better(best, _winner[l]);
                l++;
            }

            if ((h & 1) == 1)
            {
                h--;
                best = best < 0 ? _winner[h] : Better(best, _winner[h]);
            }
        }

        return best;
    }

    /// <summary>The clock of the busy replica with the earliest one; false when none is busy.</summary>
    public bool TryPeekClock(out double clock) => _busy.TryPeek(out _, out clock);

    /// <summary>Runs one step (<see cref="Replica.Step"/>, which may fast-forward decodes up to the first completion) of
    /// the busy replica with the earliest clock, bounded by <paramref name="until"/> and the next busy replica's clock;
    /// returns the replica, and in <paramref name="completed"/> the requests it completed, at its new clock. -1 when
    /// none is busy.</summary>
    public int StepEarliest(double until, out long completed)
    {
        completed = 0;
        if (!_busy.TryDequeue(out var i, out _)) return -1;
        var replica = Replicas[i];
        var bound = _busy.TryPeek(out _, out var next) ? Math.Min(until, next) : until;
        var before = replica.CompletedCount;
        replica.Step(bound);
        completed = replica.CompletedCount - before;
        Update(i);
        if (replica.HasWork) _busy.Enqueue(i, replica.Clock);
        else _queued[i] = false;
        return i;
    }

    private int Choose(in SimRequest r)
    {
        var count = Replicas.Length;
        switch (_policy)
        {
            case RouterPolicy.RoundRobin:
                var turn = _next;
                _next = _next + 1 == count ? 0 : _next + 1;
                return turn;
            case RouterPolicy.PowerOfTwo:
                if (count == 1) return 0;
                var a = (int)(_random.NextUInt() % (uint)count);
                var b = (int)(_random.NextUInt() % (uint)(count - 1));
                if (b >= a) b++;
                return Lighter(Replicas[b].OutstandingTokens, b, Replicas[a].OutstandingTokens, a) ? b : a;
            case RouterPolicy.Session when r.Session >= 0:
                return Affine(r.Session);
            case RouterPolicy.Prefix when r.PrefixBlocks is { Count: > 0 } blocks:
                return CacheAware(blocks);
            case RouterPolicy.Prefix when r.Session >= 0:
                return Affine(r.Session);
            default:
                return _winner[1];
        }
    }

    /// <summary>Queues <paramref name="r"/> on replica <paramref name="i"/>.</summary>
    public void Enqueue(int i, in SimRequest r)
    {
        Replicas[i].Enqueue(r);
        Queued(i);
    }

    /// <summary>Queues a sequence handed over at <paramref name="time"/> on replica <paramref name="i"/>.</summary>
    public void EnqueueHandoff(int i, Sequence s, double time)
    {
        Replicas[i].EnqueueHandoff(s, time);
        Queued(i);
    }

    /// <summary>Runs every replica until nothing is left.</summary>
    public void Drain()
    {
        foreach (var replica in Replicas) replica.Drain();
        _busy.Clear();
        Array.Clear(_queued);
    }

    private void Queued(int i)
    {
        Update(i);
        if (_queued[i]) return;
        _queued[i] = true;
        _busy.Enqueue(i, Replicas[i].Clock);
    }

    // The less loaded of two replicas hashed from the key, unless both are past the bounded load; then the least loaded.
    private int Affine(long key)
    {
        var count = Replicas.Length;
        var h = Mix(unchecked((ulong)key));
        var a = (int)(h % (uint)count);
        var b = count == 1 ? a : (int)((h >> 32) % (uint)(count - 1));
        if (count > 1 && b >= a) b++;
        var pick = Lighter(_load[b], b, _load[a], a) ? b : a;
        var least = _winner[1];
        return Overloaded(pick, least) ? least : pick;
    }

    // The replica that last took the longest run of this prompt's leading blocks, when that run is at least half the
    // prompt and the replica is not past both load bounds; else the least loaded. Then it owns all the prompt's blocks.
    // O(blocks of the prompt), the work the replica's own prefix cache does on admission, whatever R.
    private int CacheAware(IReadOnlyList<long> blocks)
    {
        var matched = 0;
        var owner = -1;
        while (matched < blocks.Count && _owner.TryGetValue(blocks[matched], out var o))
        {
            owner = o;
            matched++;
        }

        var least = _winner[1];
        var pick = owner >= 0 && matched >= CacheThreshold * blocks.Count && !Overloaded(owner, least) ? owner : least;
        foreach (var block in blocks) _owner[block] = pick;
        return pick;
    }

    private bool Overloaded(int candidate, int least) =>
        _load[candidate] - _load[least] > AbsoluteImbalance && _load[candidate] + 1 > Math.Ceiling(BoundedLoadFactor * (_totalLoad + 1) / Math.Max(1, _upCount));

    // SplitMix64's finaliser (Steele, Lea and Flood 2014): spreads consecutive keys over the whole range.
    private static ulong Mix(ulong z)
    {
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    // A down replica's load is far above any real one, so the tree never picks it while one is up; it is kept out of the
    // fleet's total (the bounded-load capacity counts the replicas up).
    private const long DownLoad = long.MaxValue / 4;

    private void Update(int i)
    {
        if (!_tree) return;
        var load = _down[i] ? DownLoad : _policy == RouterPolicy.LeastTokens ? Replicas[i].OutstandingTokens : Replicas[i].Outstanding;
        if (load == _load[i]) return;
        _totalLoad += (load == DownLoad ? 0 : load) - (_load[i] == DownLoad ? 0 : _load[i]);
        _load[i] = load;
        for (var n = (_leaves + i) >> 1; n >= 1; n >>= 1) _winner[n] = Better(_winner[2 * n], _winner[2 * n + 1]);
    }

    private int Better(int x, int y)
    {
        if (_weights is null) return _load[y] < _load[x] || (_load[y] == _load[x] && y < x) ? y : x;
        double ly = _load[y] * _weights[x], lx = _load[x] * _weights[y];
        return ly < lx || (ly == lx && y < x) ? y : x;
    }

    // Whether load `ly` on replica y is below load `lx` on replica x, each divided by its replica's weight (compared as
    // ly · w_x < lx · w_y, which needs no division); raw loads without weights.
    private bool Lighter(long ly, int y, long lx, int x) => _weights is null ? ly < lx : ly * _weights[x] < lx * _weights[y];
}
