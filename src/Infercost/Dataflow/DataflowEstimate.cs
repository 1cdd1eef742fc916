using Infercost.Quantities;

namespace Infercost.Dataflow;

/// <summary>A model served on a pipelined SRAM machine: how many chips, how deep the pipeline, what bounds each stage.</summary>
/// <param name="ModelId">Model id.</param>
/// <param name="AcceleratorId">Accelerator id.</param>
/// <param name="Chips">Chips the weights and in-flight KV need (or were given).</param>
/// <param name="Stages">Pipeline depth: min(chips, layers).</param>
/// <param name="ChipsPerStage">Chips each stage is split over (tensor-parallel inside a stage).</param>
/// <param name="MicroBatch">Sequences per micro-batch.</param>
/// <param name="SequencesInFlight">Micro-batch × stages: every stage holds one micro-batch.</param>
/// <param name="ContextTokens">Context each sequence attends to.</param>
/// <param name="WeightBytes">All weights (every expert resident).</param>
/// <param name="KvBytes">KV of every sequence in flight.</param>
/// <param name="StreamedBytes">Weights that do not fit the chips and stream from off-chip memory each pass.</param>
/// <param name="SramTime">Per stage and micro-batch: weight + KV bytes per chip ÷ SRAM bandwidth.</param>
/// <param name="ComputeTime">Per stage and micro-batch: FLOPs per chip ÷ peak.</param>
/// <param name="CollectiveTime">Per stage: 2 all-reduces per layer across the stage's chips (hop latency + transfer).</param>
/// <param name="HopTime">Per stage: hop latency + the micro-batch's activations ÷ link bandwidth.</param>
/// <param name="StreamTime">Streamed bytes ÷ stream bandwidth, paid by the stage that holds them.</param>
/// <param name="StageTime">max(SRAM, compute) + collectives + hop: a statically scheduled stage (hard roofline).</param>
/// <param name="SlowestStage">Stage time plus streaming: what bounds throughput.</param>
/// <param name="TokenLatency">(stages − 1) × stage time + slowest stage: one decode step of one sequence.</param>
/// <param name="TokensPerSecondPerUser">1 ÷ token latency.</param>
/// <param name="TokensPerSecond">Micro-batch ÷ slowest stage: the pipeline's output rate.</param>
/// <param name="Bound">The term that dominates the slowest stage: "SRAM bandwidth", "compute", "chip-to-chip links",
/// "weight streaming".</param>
/// <param name="Power">Chips × board (or system) power; null without a power figure.</param>
/// <param name="JoulesPerToken">Power ÷ tokens per second; null without power.</param>
/// <param name="Notes">What the estimate assumes.</param>
public sealed record DataflowEstimate(
    string ModelId, string AcceleratorId, int Chips, int Stages, double ChipsPerStage, int MicroBatch, int SequencesInFlight,
    double ContextTokens, Bytes WeightBytes, Bytes KvBytes, Bytes StreamedBytes, Seconds SramTime, Seconds ComputeTime,
    Seconds CollectiveTime, Seconds HopTime, Seconds StreamTime, Seconds StageTime, Seconds SlowestStage, Seconds TokenLatency,
    TokensPerSecond TokensPerSecondPerUser, TokensPerSecond TokensPerSecond, string Bound, Watts? Power, double? JoulesPerToken,
    IReadOnlyList<string> Notes);
