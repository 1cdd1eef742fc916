namespace Infercost.Simulation;

// A dictionary from block id to a node of an intrusive doubly linked list kept in arrays (index 0 is the sentinel),
// so a lookup, a refresh and an eviction are O(1) with no allocation once the arrays have grown.

/// <summary>One replica's prefix cache of block ids with LRU or FIFO eviction (<see cref="PrefixCacheSpec"/>).</summary>
internal sealed class PrefixCache
{
    private readonly Dictionary<long, int> _slots = [];
    private readonly long _capacity;
    private readonly bool _refreshOnHit;
    private long[] _ids = new long[64];
    private int[] _prev = new int[64];
    private int[] _next = new int[64];
    private int _used = 1;
    private int _free;

    public PrefixCache(long? capacityBlocks, int blockTokens, EvictionPolicy eviction)
    {
        _capacity = capacityBlocks ?? long.MaxValue;
        BlockTokens = blockTokens;
        _refreshOnHit = eviction == EvictionPolicy.Lru;
    }

    public int BlockTokens { get; }
    public long Evictions { get; private set; }

    /// <summary>The number of leading blocks of <paramref name="blocks"/> already cached; then inserts every block
    /// (refreshing hits under LRU), evicting the oldest past the capacity.</summary>
    public int Admit(IReadOnlyList<long> blocks)
    {
        var hit = 0;
        while (hit < blocks.Count && _slots.ContainsKey(blocks[hit])) hit++;
        for (var i = 0; i < blocks.Count; i++)
        {
            if (_slots.TryGetValue(blocks[i], out var slot))
            {
                if (_refreshOnHit) MoveToBack(slot);
                continue;
            }

            if (_slots.Count >= _capacity) Evict();
            Insert(blocks[i]);
        }

        return hit;
    }

    private void Evict()
    {
        var oldest = _next[0];
        _slots.Remove(_ids[oldest]);
        Unlink(oldest);
        _next[oldest] = _free;
        _free = oldest;
        Evictions++;
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
