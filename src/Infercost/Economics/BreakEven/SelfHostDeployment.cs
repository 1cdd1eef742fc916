using Infercost.Economics.Workloads;
using Infercost.Quantities;

namespace Infercost.Economics.BreakEven;

/// <summary>A self-hosted cluster as break-even analysis sees it: a fixed hourly cost and the rates at full use.</summary>
/// <param name="Label">What is deployed (<c>llama-3.3-70b on 8 × nvidia-h100-sxm</c>).</param>
/// <param name="ClusterPerHour">What the cluster costs per hour, busy or idle (rental, or depreciation + energy).</param>
/// <param name="RatesAtFullUse">$/MTok when the cluster is busy every hour (utilisation 1): the device time a token uses.</param>
/// <param name="MaxUtilisation">The busiest a cluster is run before another is added, in (0, 1] (headroom for peaks).</param>
public sealed record SelfHostDeployment(string Label, DollarsPerHour ClusterPerHour, PriceSheet RatesAtFullUse, double MaxUtilisation = 1)
{
    /// <summary>A deployment from the engine's quote; its rates are rescaled to utilisation 1 (rate × the quote's utilisation).</summary>
    public static SelfHostDeployment FromQuote(SelfHostedQuote quote, double maxUtilisation = 1)
    {
        ArgumentNullException.ThrowIfNull(quote);
        var full = quote.Prices.Scaled(quote.Cost.Utilisation);
        return new SelfHostDeployment(quote.Prices.Label, quote.Cost.Cluster.Total, full, maxUtilisation).Validated();
    }

    /// <summary>Checks the ranges.</summary>
    public SelfHostDeployment Validated()
    {
        // A free cluster has no break-even volume (it wins at every one); refused in the price's own terms.
        if (!(ClusterPerHour.Value > 0))
        {
            throw Requests.RequestFields.Error("gpuPrice", $"a cluster that costs ${Guard.Format(ClusterPerHour.Value)}/h ({{gpuPrice}} 0) is cheaper than the API at every volume, so there is no break-even; give {{gpuPrice}} above 0.");
        }

        Guard.InRange(MaxUtilisation, 0.01, 1, "maxUtilisation");
        return this;
    }
}
