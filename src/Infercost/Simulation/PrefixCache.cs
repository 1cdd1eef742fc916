namespace Infercost.Simulation;

// A dictionary from block id to a node of an intrusive doubly linked list kept in arrays (index 0 is the sentinel),
// so a lookup, a refresh and an eviction are O(1) with no allocation once the arrays have grown.

// Offload tiers are a chain of these caches: a block evicted here is demoted into the next one down (which may evict
// in turn), and a block admitted here leaves the tier below, so the tiers hold disjoint blocks (an exclusive hierarchy).

/// <summary>One replica's prefix cache of block ids with LRU or FIFO eviction (<see cref="PrefixCacheSpec"/>), over an
/// optional chain of lower tiers (<see cref="PrefixCacheSpec.Offload"/>).</summary>
internal sealed class PrefixCache
{
    private readonly PrefixCache? _lower;
    private readonly Dictionary<long, int> _slots = [];
    private readonly long _capacity;
    private readonly bool _refreshOnHit;
    private long[] _ids = new long[64];
    private int[] _prev = new int[64];
    private int[] _next = new int[64];
    private int _used = 1;
    private int _free;

    public PrefixCache(long? capacityBlocks, int blockTokens, EvictionPolicy eviction, PrefixCache? lower = null)
    {
        _lower = lower;
        _capacity = capacityBlocks ?? long.MaxValue;
        BlockTokens = blockTokens;
        _refreshOnHit = eviction == EvictionPolicy.Lru;
    }

    public int BlockTokens { get; }
    public long Evictions { get; private set; }

    /// <summary>The number of leading blocks of <paramref name="blocks"/> already cached; then inserts every block
    /// (refreshing hits under LRU), evicting the oldest past the capacity.</summary>
    public int Admit(IReadOnlyList<long> blocks) => Admit(blocks, []);

    /// <summary>As <see cref="Admit(IReadOnlyList{long})"/>, where the leading run may continue through the lower tiers:
    /// <paramref name="tierHits"/>[t] counts the run's blocks found in tier t (0 = this cache), and must be empty or
    /// hold one slot per tier. Every block then sits in this cache (those of lower tiers moved up).</summary>
    public int Admit(IReadOnlyList<long> blocks, Span<int> tierHits)
    {
        var hit = 0;
        while (hit < blocks.Count)
        {
            var tier = TierOf(blocks[hit]);
            if (tier < 0) break;
            if (!tierHits.IsEmpty) tierHits[tier]++;
            hit++;
        }

        for (var i = 0; i < blocks.Count; i++)
        {
            if (_slots.TryGetValue(blocks[i], out var slot))
            {
                if (_refreshOnHit) MoveToBack(slot);
                continue;
            }

            _lower?.Remove(blocks[i]);
            if (_slots.Count >= _capacity) Evict();
            Insert(blocks[i]);
        }

        return hit;
    }

    /// <summary>Tiers in this chain (1 without lower tiers).</summary>
    public int Tiers => 1 + (_lower?.Tiers ?? 0);

    /// <summary>The cache <paramref name="depth"/> tiers down (0 = this one).</summary>
    public PrefixCache Tier(int depth) => depth == 0 ? this : _lower!.Tier(depth - 1);

    /// <summary>Capacity in blocks (<see cref="long.MaxValue"/> when unbounded).</summary>
    public long CapacityBlocks => _capacity;

    private int TierOf(long id)
    {
        if (_slots.ContainsKey(id)) return 0;
        var below = _lower?.TierOf(id) ?? -1;
        return below < 0 ? -1 : below + 1;
    }

    private void Remove(long id)
    {
        if (_slots.Remove(id, out var slot))
        {
            Unlink(slot);
            _next[slot] = _free;
            _free = slot;
            return;
        }

        _lower?.Remove(id);
    }

    // A block evicted from the tier above: not held here (the tiers are disjoint), so it goes in at the back.
    private void Demote(long id)
    {
        if (_slots.Count >= _capacity) Evict();
        Insert(id);
    }

    private void Evict()
    {
        var oldest = _next[0];
        var id = _ids[oldest];
        _slots.Remove(id);
        Unlink(oldest);
        _next[oldest] = _free;
        _free = oldest;
        Evictions++;
        _lower?.Demote(id);
    }

    private void Insert(long id)
    {
        int slot;
        if (_free != 0)
        {
            slot = _free;
            _free = _next[slot];
        }
        else
        {
            if (_used == _ids.Length)
            {
                Array.Resize(ref _ids, _ids.Length * 2);
                Array.Resize(ref _prev, _prev.Length * 2);
                Array.Resize(ref _next, _next.Length * 2);
            }

            slot = _used++;
        }

        _ids[slot] = id;
        _slots[id] = slot;
        LinkAtBack(slot);
    }

    private void MoveToBack(int slot)
    {
        Unlink(slot);
        LinkAtBack(slot);
    }

    private void Unlink(int slot)
    {
        _next[_prev[slot]] = _next[slot];
        _prev[_next[slot]] = _prev[slot];
    }

    private void LinkAtBack(int slot)
    {
        var last = _prev[0];
        _prev[slot] = last;
        _next[slot] = 0;
        _next[last] = slot;
        _prev[0] = slot;
    }
}
