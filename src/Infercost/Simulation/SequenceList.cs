namespace Infercost.Simulation;

// A struct, not a List<Sequence>: it lives inside its Replica (a mutable field, never copied), so reading the running
// count costs no load of another object. In a fleet of thousands of replicas every step starts out of cache, and each
// object a step must reach first is one more miss (see docs/performance.md#fleet-scale).

/// <summary>The running batch of one replica, in admission order, on a growable array.</summary>
internal struct SequenceList()
{
    private Sequence[] _items = new Sequence[16];

    public int Count { get; private set; }

    public readonly Sequence this[int i] => _items[i];

    /// <summary>The most recently admitted sequence.</summary>
    public readonly Sequence Last => _items[Count - 1];

    /// <summary>The sequences, in order (valid until the list changes).</summary>
    public readonly ReadOnlySpan<Sequence> AsSpan() => _items.AsSpan(0, Count);

    public void Add(Sequence s)
    {
        if (Count == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = s;
    }

    /// <summary>Puts <paramref name="s"/> at <paramref name="i"/> (&lt; <see cref="Count"/>).</summary>
    public readonly void Set(int i, Sequence s) => _items[i] = s;

    /// <summary>Keeps the first <paramref name="count"/> sequences.</summary>
    public void Truncate(int count)
    {
        Array.Clear(_items, count, Count - count);
        Count = count;
    }

    public void RemoveAt(int i)
    {
        Array.Copy(_items, i + 1, _items, i, Count - i - 1);
        _items[--Count] = null!;
    }

    public void Clear() => Truncate(0);

    /// <summary>Index of the first sequence <paramref name="match"/> accepts; -1 when none does.</summary>
    public readonly int FindIndex(Func<Sequence, bool> match)
    {
        for (var i = 0; i < Count; i++)
        {
            if (match(_items[i])) return i;
        }

        return -1;
    }
}
