using System.Globalization;
using System.Text.RegularExpressions;
using Infercost.Models;
using Infercost.Quantities;
using Infercost.Serving;

namespace Infercost.Simulation;

/// <summary>Reads the prefix-cache settings as a user types them (the CLI's <c>--prefix-cache</c>,
/// <c>--prefix-eviction</c> and <c>--kv-offload</c>, the server's matching fields): one parser, so both report the same
/// errors, each naming the field it was given.</summary>
public static partial class PrefixCacheText
{
    /// <summary>The prefix cache these texts describe; null for <c>off</c>.</summary>
    /// <param name="cache">kv (the replica's KV pool; null means kv), unbounded, off, a block count, or a size such as 200GB
    /// (converted at the model's KV bytes per block at the KV precision).</param>
    /// <param name="eviction">lru (null means lru) or fifo.</param>
    /// <param name="offload">Offload tiers, SIZE@BANDWIDTH comma-separated (see <see cref="KvOffloadTier"/>); null for none.</param>
    /// <param name="setup">The served setup (for a size's block count).</param>
    /// <param name="blockTokens">Tokens per prefix block.</param>
    /// <param name="names">The names the user typed for the three settings, used in errors.</param>
    public static PrefixCacheSpec? Parse(string? cache, string? eviction, string? offload, ServingSetup setup, int blockTokens,
        (string Cache, string Eviction, string Offload) names)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var policy = eviction?.Trim().ToLowerInvariant() switch
        {
            null or "lru" => EvictionPolicy.Lru,
            "fifo" => EvictionPolicy.Fifo,
            var other => throw new InvalidInputException(names.Eviction, $"{names.Eviction} must be lru or fifo; was '{other}'."),
        };
        var spec = HbmOf(cache?.Trim() ?? "kv", policy, setup, blockTokens, names.Cache);
        if (offload is null) return spec;
        var tiers = Tiers(offload, names.Offload);
        if (spec is null || spec is { CapacityBlocks: null, KvPool: false })
        {
            throw new InvalidInputException(names.Offload, $"{names.Offload} needs a bounded prefix cache (kv, a block count or a size); " +
                $"it was {(spec is null ? "off" : "unbounded")}, so no block is ever evicted to offload.");
        }

        return (spec with { Offload = tiers }).Validated();
    }

    /// <summary>Offload tiers: SIZE@BANDWIDTH, comma-separated, each checked (<see cref="KvOffloadTier.Validated"/>).</summary>
    public static KvOffloadTier[] Tiers(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length > PrefixCacheSpec.MaxOffloadTiers)
        {
            throw new InvalidInputException(name, $"{name} takes 1 to {PrefixCacheSpec.MaxOffloadTiers} tiers; was {parts.Length} ('{text}').");
        }

        var tiers = new KvOffloadTier[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            var at = parts[i].Split('@', StringSplitOptions.TrimEntries);
            if (at.Length != 2 || BytesOf(at[0]) is not { } bytes || BandwidthOf(at[1]) is not { } rate)
            {
                throw new InvalidInputException(name, $"{name} tier {i + 1} must be SIZE@BANDWIDTH such as 1TB@50GB/s; was '{parts[i]}'.");
            }

            tiers[i] = new KvOffloadTier(Bytes.FromBytes(bytes), BytesPerSecond.FromBytesPerSecond(rate)).Validated(name);
        }

        return tiers;
    }

    private static PrefixCacheSpec? HbmOf(string text, EvictionPolicy eviction, ServingSetup setup, int block, string name)
    {
        switch (text.ToLowerInvariant())
        {
            case "off": return null;
            case "kv": return new PrefixCacheSpec(null, block, eviction, KvPool: true).Validated();
            case "unbounded": return new PrefixCacheSpec(null, block, eviction).Validated();
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var blocks))
        {
            if (blocks < 1 || blocks > 10_000_000_000) throw new InvalidInputException(name, $"{name} must be in [1, 10000000000] blocks; was {blocks}.");
            return new PrefixCacheSpec(blocks, block, eviction).Validated();
        }

        if (BytesOf(text) is not { } size)
        {
            throw new InvalidInputException(name, $"{name} must be kv, unbounded, off, a block count or a size such as 200GB; was '{text}'.");
        }

        var perBlock = KvCache.BytesPerSequence(setup.Model, setup.KvFormat, block).Value;
        var count = (long)Math.Floor(size / perBlock);
        if (count < 1) throw new InvalidInputException(name, $"{name} must hold at least one {block}-token block ({Guard.Format(Math.Round(perBlock / 1e6, 2))} MB); was '{text}'.");
        return new PrefixCacheSpec(Math.Min(count, 10_000_000_000), block, eviction).Validated();
    }

    private static double? BytesOf(string text)
    {
        var m = SizePattern().Match(text);
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var size) || !(size > 0) || double.IsInfinity(size)) return null;
        return size * m.Groups[2].Value.ToUpperInvariant() switch
        {
            "KB" => 1e3, "MB" => 1e6, "GB" => 1e9, "TB" => 1e12,
            "KIB" => 1024.0, "MIB" => 1024.0 * 1024, "GIB" => 1024.0 * 1024 * 1024, _ => 1024.0 * 1024 * 1024 * 1024,
        };
    }

    private static double? BandwidthOf(string text)
    {
        var trimmed = text.EndsWith("/s", StringComparison.OrdinalIgnoreCase) || text.EndsWith("ps", StringComparison.OrdinalIgnoreCase) ? text[..^2] : null;
        return trimmed is null ? null : BytesOf(trimmed.Trim());
    }

    [GeneratedRegex(@"^([0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$", RegexOptions.IgnoreCase)]
    private static partial Regex SizePattern();
}
