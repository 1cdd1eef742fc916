using Infercost.Requests;
using Xunit;

namespace Infercost.Tests.Economics.BreakEven;

// breakeven at the engine's calibrated throughput band: the cluster's cost per request ÷ r and its capacity × r; the
// break-even volume moves only when it crosses the capacity (docs/economics.md#break-even).
public class BreakEvenBandsTests
{
    private static readonly Infercost.Catalog.Catalog Catalog = Infercost.Catalog.Catalog.Embedded;

    private static BreakEvenRequest Sonnet(double maxUtilisation = 1) => new()
    {
        Profile = "chat", ApiModel = "claude-sonnet-4.5", Model = "llama-3.3-70b", Gpu = "nvidia-h100-sxm", Gpus = 8, GpuPrice = 2, MaxUtilisation = maxUtilisation,
    };

    [Fact]
    public void Ends_ScaleTheClustersCostAndCapacity_TheBreakEvenVolumeStays()
    {
        var result = Sonnet().Answer(Catalog);
        var b = result.Bands!;

        Assert.Equal(result.SelfHostPerRequestAtFullUse.Value / b.Speed.Low, b.Slow.SelfHostPerRequestAtFullUse.Value, 1e-12);
        Assert.Equal(result.CapacityRequestsPerDay * b.Speed.High, b.Fast.CapacityRequestsPerDay, 1e-6 * result.CapacityRequestsPerDay);
        // Cluster $/day ÷ API $/request, well inside one cluster's capacity at either end.
        Assert.Equal(result.BreakEvenRequestsPerDay!.Value, b.Slow.BreakEvenRequestsPerDay!.Value, 1e-9 * result.BreakEvenRequestsPerDay.Value);
        Assert.Equal(result.BreakEvenUtilisation!.Value / b.Speed.Low, b.Slow.BreakEvenUtilisation!.Value, 1e-12);
    }

    [Fact]
    public void ACapBetweenTheEndsBreakEvenUtilisations_OnlyTheSlowEndNeverBreaksEven()
    {
        // Given a utilisation cap between the modelled break-even utilisation and the slow end's
        var open = Sonnet().Answer(Catalog);
        var cap = (open.BreakEvenUtilisation!.Value + open.Bands!.Slow.BreakEvenUtilisation!.Value) / 2;

        var capped = Sonnet(cap).Answer(Catalog);

        // Then as modelled one cluster still beats the API, and at the slow end it never does
        Assert.NotNull(capped.BreakEvenRequestsPerDay);
        Assert.Null(capped.Bands!.Slow.BreakEvenRequestsPerDay);
        Assert.NotNull(capped.Bands.Fast.BreakEvenRequestsPerDay);
    }
}
