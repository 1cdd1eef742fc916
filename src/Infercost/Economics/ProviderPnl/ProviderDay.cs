using Infercost.Quantities;

namespace Infercost.Economics.ProviderPnl;

/// <summary>One period of an inference provider's operations: the fleet it paid for, the tokens it served and the
/// list prices it charges.</summary>
/// <param name="Name">Scenario name.</param>
/// <param name="Nodes">Average nodes in service over the period (may be fractional: DeepSeek 226.75).</param>
/// <param name="GpusPerNode">GPUs per node, in [1, 1,024].</param>
/// <param name="GpuHourPrice">Cost per GPU-hour (lease or equivalent), in [0, 10,000] $/h.</param>
/// <param name="Period">Length of the period (DeepSeek: 24 h).</param>
/// <param name="InputTokens">All input tokens served, cache hits included.</param>
/// <param name="CachedInputTokens">Input tokens that hit the prompt cache (&lt;= input tokens).</param>
/// <param name="OutputTokens">Output tokens served.</param>
/// <param name="PriceInput">List price per million uncached input tokens.</param>
/// <param name="PriceCachedInput">List price per million cached input tokens.</param>
/// <param name="PriceOutput">List price per million output tokens.</param>
/// <param name="PrefillPerNode">Input tokens per second one node sustains while prefilling (cache hits included); optional.</param>
/// <param name="DecodePerNode">Output tokens per second one node sustains while decoding; optional.</param>
/// <param name="PublishedRevenue">Revenue the provider published for the period, for comparison; optional.</param>
/// <param name="TokenCountGranularity">Rounding of the published token counts (DeepSeek: whole billions); optional.</param>
/// <param name="Source">Where the figures come from.</param>
public sealed record ProviderDay(
    string Name,
    double Nodes,
    int GpusPerNode,
    DollarsPerHour GpuHourPrice,
    Seconds Period,
    Tokens InputTokens,
    Tokens CachedInputTokens,
    Tokens OutputTokens,
    DollarsPerMillionTokens PriceInput,
    DollarsPerMillionTokens PriceCachedInput,
    DollarsPerMillionTokens PriceOutput,
    TokensPerSecond? PrefillPerNode = null,
    TokensPerSecond? DecodePerNode = null,
    Dollars? PublishedRevenue = null,
    Tokens? TokenCountGranularity = null,
    Provenance? Source = null)
{
    /// <summary>Average nodes in service, in (0, 10,000,000].</summary>
    public double Nodes { get; } = Guard.InRange(Nodes, 1e-6, 1e7, "nodes");

    /// <summary>GPUs per node.</summary>
    public int GpusPerNode { get; } = Guard.InRange(GpusPerNode, 1, 1024, "gpusPerNode");

    /// <summary>Cost per GPU-hour.</summary>
    public DollarsPerHour GpuHourPrice { get; } = DollarsPerHour.FromDollarsPerHour(Guard.InRange(GpuHourPrice.Value, 0, 10_000, "gpuPrice"));

    /// <summary>Period length, from one second to one year.</summary>
    public Seconds Period { get; } = Seconds.FromSeconds(Guard.InRange(Period.Value, 1, 366 * 86_400, "period"));

    /// <summary>Input tokens (&gt;= 0).</summary>
    public Tokens InputTokens { get; } = Tokens.FromTokens(Guard.NonNegative(InputTokens.Value, "inputTokens"));

    /// <summary>Cached input tokens, in [0, input tokens].</summary>
    public Tokens CachedInputTokens { get; } = Tokens.FromTokens(Guard.InRange(CachedInputTokens.Value, 0, Math.Max(0, InputTokens.Value), "cachedTokens"));

    /// <summary>Output tokens (&gt;= 0).</summary>
    public Tokens OutputTokens { get; } = Tokens.FromTokens(Guard.NonNegative(OutputTokens.Value, "outputTokens"));

    /// <summary>Uncached input price (&gt;= 0).</summary>
    public DollarsPerMillionTokens PriceInput { get; } = DollarsPerMillionTokens.FromDollarsPerMillionTokens(Guard.NonNegative(PriceInput.Value, "priceIn"));

    /// <summary>Cached input price (&gt;= 0).</summary>
    public DollarsPerMillionTokens PriceCachedInput { get; } = DollarsPerMillionTokens.FromDollarsPerMillionTokens(Guard.NonNegative(PriceCachedInput.Value, "priceCached"));

    /// <summary>Output price (&gt;= 0).</summary>
    public DollarsPerMillionTokens PriceOutput { get; } = DollarsPerMillionTokens.FromDollarsPerMillionTokens(Guard.NonNegative(PriceOutput.Value, "priceOut"));

    /// <summary>GPUs in service on average: nodes × GPUs per node.</summary>
    public double Gpus => Nodes * GpusPerNode;

    /// <summary>Cost of one node-hour: GPUs per node × GPU-hour price.</summary>
    public DollarsPerHour NodeHourPrice => GpuHourPrice * GpusPerNode;
}
