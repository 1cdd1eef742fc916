using Infercost.Quantities;

namespace Infercost.Simulation;

/// <summary>A tier below device memory that holds prefix-cache blocks evicted from HBM (host DRAM, local SSD, a remote
/// store), as vLLM's KV offloading connector, LMCache and Mooncake's store keep them: a block evicted from the tier above
/// is written here (the write runs off the critical path); a request whose cached prefix runs into blocks held here
/// reloads them into HBM instead of recomputing them, and that reload is paid in the step that admits it.</summary>
/// <param name="Capacity">Bytes the tier holds for one replica (decimal bytes).</param>
/// <param name="Bandwidth">Reload bandwidth per device, one direction (each device reads its shard of the KV over its
/// own link in parallel): about 25 GB/s achieved on PCIe Gen4 x16 and 50 GB/s on Gen5 x16 (32 and 64 GB/s raw per
/// direction, PCI-SIG), a few GB/s from one NVMe SSD. A user input: no catalog entry gives it.</param>
public sealed record KvOffloadTier(Bytes Capacity, BytesPerSecond Bandwidth)
{
    /// <summary>Checks each field; <paramref name="field"/> names the option or request field in errors.</summary>
    public KvOffloadTier Validated(string field)
    {
        if (!(Capacity.Value >= 1e6 && Capacity.Value <= 1e15))
        {
            throw new InvalidInputException(field, $"{field} capacity must be in [1MB, 1000TB]; was {Guard.Format(Capacity.Value)} bytes.");
        }

        if (!(Bandwidth.Value >= 1e6 && Bandwidth.Value <= 1e13))
        {
            throw new InvalidInputException(field, $"{field} bandwidth must be in [0.001, 10000] GB/s; was {Guard.Format(Bandwidth.Value / 1e9)} GB/s.");
        }

        return this;
    }
}

/// <summary>What one offload tier did over a run (all replicas together).</summary>
/// <param name="CapacityBlocks">Prefix blocks the tier holds per replica.</param>
/// <param name="BandwidthGbps">Reload bandwidth per device, GB/s.</param>
/// <param name="BlocksHit">Blocks of cached leading runs found in this tier, and reloaded from it.</param>
/// <param name="BytesLoaded">Bytes reloaded per device, summed over replicas.</param>
/// <param name="LoadSeconds">Step time spent reloading from this tier, summed over replicas (s).</param>
/// <param name="Evictions">Blocks dropped from this tier (or moved to the next one down) when it was full.</param>
public sealed record KvTierUsage(long CapacityBlocks, double BandwidthGbps, long BlocksHit, double BytesLoaded, double LoadSeconds, long Evictions);
