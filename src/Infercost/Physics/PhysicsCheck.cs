using System.Globalization;
using Infercost.Quantities;

namespace Infercost.Physics;

/// <summary>Checks a claimed throughput or price against the compute and bandwidth rooflines.</summary>
/// <remarks>Ceilings use lower bounds on the work (2 FLOPs per active parameter per token, attention ignored; the weight
/// bytes a step must read, KV ignored) and 100% efficiency, so a claim flagged impossible is impossible under any
/// software. Method: the HN critique of Alderson 2025 (prefill at 6.7× the H100 FP8 peak). See docs/methodology.md#physics-check.</remarks>
public static class PhysicsCheck
{
    /// <summary>Checks <paramref name="claim"/>.</summary>
    public static ClaimVerdict Check(Claim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        Guard.Positive(claim.Value, "claim");
        Guard.InRange(claim.Devices, 1, 10_000_000, "gpus");
        Guard.Positive(claim.ActiveParameters, "activeParameters");
        var peak = claim.Accelerator.Peaks.For(claim.Precision)
            ?? throw new InvalidInputException("precision", $"{claim.Accelerator.Id} has no published dense peak for {claim.Precision.Name()}.");
        var flopsPerToken = 2 * claim.ActiveParameters;
        var computeCeiling = TokensPerSecond.FromTokensPerSecond(peak.Value * claim.Devices / flopsPerToken);

        TokensPerSecond? bandwidthCeiling = null;
        var isDecode = claim.Kind is ClaimKind.DecodeTokensPerSecond or ClaimKind.OutputPricePerMillion;
        if (isDecode && claim.Batch is { } batch && claim.WeightBytesPerStep is { } bytes)
        {
            Guard.InRange(batch, 1, 10_000_000, "batch");
            Guard.Positive(bytes.Value, "weightBytesPerStep");
            var stepTime = bytes / (claim.Accelerator.MemoryBandwidth * claim.Devices);
            bandwidthCeiling = Tokens.FromTokens(batch) / stepTime;
        }

        TokensPerSecond claimed;
        DollarsPerMillionTokens? floor = null;
        if (claim.Kind is ClaimKind.InputPricePerMillion or ClaimKind.OutputPricePerMillion)
        {
            var cost = claim.ClusterCost ?? throw new InvalidInputException("gpuPrice", "a price claim needs the cluster's cost (--gpu-price).");
            claimed = TokensPerSecond.FromTokensPerHour(cost.Value / claim.Value * 1e6);
            var tightest = bandwidthCeiling is { } bw ? TokensPerSecond.Min(bw, computeCeiling) : computeCeiling;
            floor = cost / tightest;
        }
        else
        {
            claimed = TokensPerSecond.FromTokensPerSecond(claim.Value);
        }

        var overCompute = claimed / computeCeiling;
        double? overBandwidth = bandwidthCeiling is { } b2 ? claimed / b2 : null;
        var possible = overCompute <= 1 && (overBandwidth is null || overBandwidth <= 1);
        var required = FlopsPerSecond.FromFlopsPerSecond(claimed.Value * flopsPerToken / claim.Devices);
        return new ClaimVerdict(possible, claimed, computeCeiling, bandwidthCeiling, required, overCompute, overBandwidth, floor,
            Explain(claim, possible, overCompute, overBandwidth, required, peak));
    }

    private static string Explain(Claim claim, bool possible, double overCompute, double? overBandwidth, FlopsPerSecond required, FlopsPerSecond peak)
    {
        var inv = CultureInfo.InvariantCulture;
        var text = string.Format(inv,
            "The claim needs {0:F1} TFLOP/s per device; {1}'s dense {2} peak is {3:F0} TFLOP/s ({4:F2}x of peak).",
            required.Teraflops, claim.Accelerator.Id, claim.Precision.Name(), peak.Teraflops, overCompute);
        if (overBandwidth is { } ob)
        {
            text += string.Format(inv, " Reading the weights each step at full bandwidth allows {0:F2}x less than claimed{1}.",
                ob, ob > 1 ? "" : " (within the bandwidth ceiling)");
        }

        return (possible ? "Physically possible. " : "Impossible. ") + text;
    }
}
