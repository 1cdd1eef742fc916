namespace Infercost.Simulation;

/// <summary>The prefix-block ids of one conversation's first <see cref="Count"/> blocks: block i of session s holds the
/// same tokens in every turn (each turn's prompt is the conversation so far plus a new message), so its id is
/// s × 2^24 + i. A generated session's turn carries the blocks of its prompt; when it finishes, the replica caches the
/// blocks of its prompt and output (<see cref="Through"/>), which the next turn's prompt starts with.</summary>
/// <param name="Session">The session (≥ 0).</param>
/// <param name="Count">Blocks, from the conversation's first (at most 2^24).</param>
public sealed class SessionBlocks(long Session, int Count) : IReadOnlyList<long>
{
    /// <summary>Blocks a session can have: ids leave 24 bits for the block index.</summary>
    public const int MaxBlocks = 1 << 24;

    /// <summary>The session.</summary>
    public long Session { get; } = Session;

    /// <inheritdoc />
    public int Count { get; } = Math.Clamp(Count, 0, MaxBlocks);

    /// <inheritdoc />
    public long this[int index] => (uint)index < (uint)Count ? (Session << 24) + index : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>This session's blocks fully covered by its first <paramref name="tokens"/> tokens.</summary>
    public SessionBlocks Through(long tokens, int blockTokens) => new(Session, (int)Math.Min(MaxBlocks, tokens / blockTokens));

    /// <inheritdoc />
    public IEnumerator<long> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return (Session << 24) + i;
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
