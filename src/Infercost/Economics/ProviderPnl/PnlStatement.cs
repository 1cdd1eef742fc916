using Infercost.Quantities;

namespace Infercost.Economics.ProviderPnl;

/// <summary>Revenue, cost and margin of one provider period.</summary>
/// <param name="Day">Inputs.</param>
/// <param name="GpuHours">GPUs × period hours.</param>
/// <param name="Cost">GPU-hours × price per GPU-hour.</param>
/// <param name="RevenueCachedInput">Cached input tokens × cached price.</param>
/// <param name="RevenueUncachedInput">(Input − cached) tokens × input price.</param>
/// <param name="RevenueOutput">Output tokens × output price.</param>
/// <param name="Revenue">Sum of the three (theoretical: every token billed at list price).</param>
/// <param name="Profit">Revenue − cost.</param>
/// <param name="CostProfitMargin">(Revenue − cost) ÷ cost: DeepSeek's "cost profit margin" (545 %); null at zero cost.</param>
/// <param name="GrossMargin">(Revenue − cost) ÷ revenue (84.5 %); null at zero revenue.</param>
/// <param name="CacheHitShare">Cached ÷ input tokens; null with no input.</param>
/// <param name="Published">Comparison with a published revenue figure; null when none was given.</param>
/// <param name="Nodes">Node-count check from per-node throughputs; null unless both were given.</param>
/// <param name="UnitCosts">Implied cost per million tokens.</param>
/// <param name="Training">The lab view with training amortised; null when no training cost was given.</param>
public sealed record PnlStatement(
    ProviderDay Day,
    double GpuHours,
    Dollars Cost,
    Dollars RevenueCachedInput,
    Dollars RevenueUncachedInput,
    Dollars RevenueOutput,
    Dollars Revenue,
    Dollars Profit,
    double? CostProfitMargin,
    double? GrossMargin,
    double? CacheHitShare,
    PublishedRevenueCheck? Published,
    NodeCountCheck? Nodes,
    UnitCosts UnitCosts,
    TrainingView? Training);

/// <summary>Recomputed against published revenue.</summary>
/// <param name="PublishedRevenue">The figure the provider printed.</param>
/// <param name="Gap">Recomputed − published.</param>
/// <param name="RoundingTolerance">The most the recomputed revenue can move if each token count is off by up to half the
/// rounding granularity: ½ × granularity × (input price + |cached price − input price| + output price). Null when the
/// granularity is unknown.</param>
/// <param name="GapWithinRounding">|gap| ≤ tolerance; null when the tolerance is unknown.</param>
/// <param name="CostProfitMarginPublished">(published revenue − cost) ÷ cost; null at zero cost.</param>
/// <param name="GrossMarginPublished">(published revenue − cost) ÷ published revenue; null at zero revenue.</param>
public sealed record PublishedRevenueCheck(
    Dollars PublishedRevenue,
    Dollars Gap,
    Dollars? RoundingTolerance,
    bool? GapWithinRounding,
    double? CostProfitMarginPublished,
    double? GrossMarginPublished);

/// <summary>Whether token totals, per-node throughputs and the node count agree.</summary>
/// <param name="AverageInputRate">Input tokens ÷ period.</param>
/// <param name="AverageOutputRate">Output tokens ÷ period.</param>
/// <param name="PrefillNodes">Average input rate ÷ prefill throughput per node (DeepSeek: 95.5).</param>
/// <param name="DecodeNodes">Average output rate ÷ decode throughput per node (131.4).</param>
/// <param name="ImpliedNodes">Prefill + decode nodes (226.9).</param>
/// <param name="StatedNodes">Nodes the provider reported (226.75).</param>
/// <param name="RelativeDifference">(Implied − stated) ÷ stated.</param>
public sealed record NodeCountCheck(
    TokensPerSecond AverageInputRate,
    TokensPerSecond AverageOutputRate,
    double PrefillNodes,
    double DecodeNodes,
    double ImpliedNodes,
    double StatedNodes,
    double RelativeDifference);

/// <summary>Cost per million tokens implied by the period.</summary>
/// <param name="NodeHourPrice">GPUs per node × GPU-hour price ($16 for 8 × $2).</param>
/// <param name="DecodeOutput">Node $/h ÷ decode tokens per node-hour: output cost on decode nodes ($0.30); null without a decode throughput.</param>
/// <param name="PrefillInput">Node $/h ÷ prefill tokens per node-hour: input cost on prefill nodes ($0.060); null without a prefill throughput.</param>
/// <param name="AllCostOverOutput">Total cost ÷ output tokens ($0.518); null with no output.</param>
/// <param name="RevenuePerOutput">Revenue ÷ output tokens ($3.35); null with no output.</param>
public sealed record UnitCosts(
    DollarsPerHour NodeHourPrice,
    DollarsPerMillionTokens? DecodeOutput,
    DollarsPerMillionTokens? PrefillInput,
    DollarsPerMillionTokens? AllCostOverOutput,
    DollarsPerMillionTokens? RevenuePerOutput);

/// <summary>Inference margin once training has to be paid for out of it.</summary>
/// <param name="Amortisation">Inputs.</param>
/// <param name="TokensPerDay">Tokens per day the training cost is spread over.</param>
/// <param name="TrainingPerMillion">Training cost ÷ (years × 365 × tokens per day) × 10^6.</param>
/// <param name="TrainingCharge">Tokens in the period × training per million.</param>
/// <param name="ProfitAfterTraining">Revenue − serving cost − training charge.</param>
/// <param name="GrossMarginAfterTraining">Profit after training ÷ revenue; null at zero revenue.</param>
public sealed record TrainingView(
    TrainingAmortisation Amortisation,
    Tokens TokensPerDay,
    DollarsPerMillionTokens TrainingPerMillion,
    Dollars TrainingCharge,
    Dollars ProfitAfterTraining,
    double? GrossMarginAfterTraining);
