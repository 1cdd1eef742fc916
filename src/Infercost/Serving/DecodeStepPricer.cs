using Infercost.Quantities;

namespace Infercost.Serving;

/// <summary>The time of a decode-only step (every sequence in the batch decodes one token), for the simulator's runs of
/// such steps. It gives exactly <c>BatchStepModel.Cost(setup, BatchComposition.OfDecodes(n, full, windowed)).Total</c>,
/// bit for bit: the terms that depend only on the batch size n (linear layers, element-wise traffic, collectives) are
/// computed once per n by the same functions, and the attention terms, which depend on the contexts, at every call.</summary>
/// <remarks>Not thread-safe: one per simulated replica. A struct, held inside the replica (a field that must not be
/// readonly, or each call would work on a copy), so a step reads the cached terms without loading another object.</remarks>
internal struct DecodeStepPricer(ServingSetup setup)
{
    private int _batch; // the n the cached terms are for; 0 = none yet
    private Seconds _linear, _elementwise, _communication;
    private double _touched;

    /// <summary>Seconds taken by a step of <paramref name="sequences"/> decodes whose contexts sum to
    /// <paramref name="contextFull"/> tokens on full-attention layers and <paramref name="contextWindowed"/> on windowed
    /// layers.</summary>
    public double Seconds(int sequences, double contextFull, double contextWindowed)
    {
        if (sequences != _batch)
        {
            // As BatchStepModel.Work and StepCost.Of compute them for a batch of n decodes: n tokens, n of them decoding.
            var shape = BatchStepModel.Shape(setup, sequences, sequences);
            var (compute, memory) = StepCost.LinearTerms(setup, shape.TimedLinearFlops, shape.WeightBytes);
            _linear = StepCost.Knee(compute, memory, setup.Efficiency.RooflineSoftness);
            _elementwise = setup.ActivationTime(sequences);
            _communication = shape.Communication;
            _touched = shape.ExpertsTouchedPerLayer;
            _batch = sequences;
        }

        var batch = BatchComposition.OfDecodes(sequences, contextFull, contextWindowed);
        var (attentionFlops, kvBytes) = BatchStepModel.AttentionWork(setup, batch);
        var (attentionCompute, attentionMemory) = StepCost.AttentionTerms(setup, attentionFlops, kvBytes, 0);
        var attention = StepCost.Knee(attentionCompute, attentionMemory, setup.Efficiency.RooflineSoftness);
        return StepCost.Sum(_linear, attention, _elementwise, _communication, StepCost.FixedOverhead(setup, kvBytes, _touched)).Value;
    }
}
