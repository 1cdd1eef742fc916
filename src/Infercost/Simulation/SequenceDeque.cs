namespace Infercost.Simulation;

/// <summary>A double-ended queue on a growable ring buffer: arrivals join the back, preempted sequences return to the front.</summary>
/// <remarks>A struct held in its replica, as <see cref="SequenceList"/> is (and for the same reason).</remarks>
internal struct SequenceDeque()
{
    private Sequence?[] _items = new Sequence?[16];
    private int _head;

    public int Count { get; private set; }

    public readonly Sequence PeekFront() => _items[_head]!;

    public void PushBack(Sequence s)
    {
        Grow();
        _items[(_head + Count) & (_items.Length - 1)] = s;
        Count++;
    }

    public void PushFront(Sequence s)
    {
        Grow();
        _head = (_head - 1) & (_items.Length - 1);
        _items[_head] = s;
        Count++;
    }

    public Sequence PopFront()
    {
        var s = _items[_head]!;
        _items[_head] = null;
        _head = (_head + 1) & (_items.Length - 1);
        Count--;
        return s;
    }

    /// <summary>Removes the first sequence (front to back) that <paramref name="match"/> accepts, keeping the order of
    /// the rest; returns it, or null when none matched. O(Count).</summary>
    public Sequence? Remove(Func<Sequence, bool> match)
    {
        var mask = _items.Length - 1;
        for (var i = 0; i < Count; i++)
        {
            var s = _items[(_head + i) & mask]!;
            if (!match(s)) continue;
            for (var j = i; j < Count - 1; j++) _items[(_head + j) & mask] = _items[(_head + j + 1) & mask];
            _items[(_head + Count - 1) & mask] = null;
            Count--;
            return s;
        }

        return null;
    }

    private void Grow()
    {
        if (Count < _items.Length) return;
        var bigger = new Sequence?[_items.Length * 2];
        for (var i = 0; i < Count; i++) bigger[i] = _items[(_head + i) & (_items.Length - 1)];
        _items = bigger;
        _head = 0;
    }
}
