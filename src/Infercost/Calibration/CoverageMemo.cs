using System.Runtime.CompilerServices;
using Infercost.Kernels;
using Infercost.Models;
using Infercost.Serving;

namespace Infercost.Calibration;

// An estimate asks the same coverage question again and again (a sweep holds the model, device, precisions, layout and
// engine fixed and varies the request shape), and the answer is strings: building the labels, the one-line summary and
// the band's basis took about as long as the rest of the estimate (docs/performance.md). The answers are kept in a few
// slots keyed on exactly what Assess and ExtrapolationBands.For read (model and engine by reference, the rest by value),
// so a hit returns what a fresh assessment builds. Entries are immutable and replaced whole, so concurrent callers see
// either the old entry or the new one; a collision only costs a recomputation.

/// <summary>The coverage answer of one estimate: where it extrapolates, the text line, and its band.</summary>
/// <param name="Extrapolating">What <see cref="CalibrationCoverage.Assess"/> lists (read-only, shared between estimates).</param>
/// <param name="Line">What <see cref="Extrapolation.Line"/> prints for it; null when inside coverage.</param>
/// <param name="Band">What <see cref="ExtrapolationBands.For"/> gives for it.</param>
internal sealed record CoverageAnswer(IReadOnlyList<Extrapolation> Extrapolating, string? Line, PredictionBand Band);

/// <summary>Remembers recent coverage answers (see the note above).</summary>
internal static class CoverageMemo
{
    private const int Slots = 16;
    private static readonly Entry?[] _entries = new Entry?[Slots];

    /// <summary>The answer for <paramref name="setup"/> served by <paramref name="engine"/> at a decode batch of
    /// <paramref name="decodeBatch"/>, against <paramref name="coverage"/> and <paramref name="bands"/>.</summary>
    public static CoverageAnswer For(CalibrationCoverage coverage, ExtrapolationBands bands, ServingSetup setup, ServingSoftware engine, double decodeBatch)
    {
        // The batch enters the answer only through the range test and, outside the range, its label (rounded to 0.1).
        var outside = decodeBatch < coverage.MinDecodeBatch || decodeBatch > coverage.MaxDecodeBatch;
        var key = new Key(coverage, bands, setup.Model, engine, setup.Architecture, setup.WeightPrecision, setup.ExpertPrecision,
            setup.KvPrecision, setup.Parallelism.Tensor, setup.Parallelism.Pipeline, setup.Parallelism.Expert,
            setup.Parallelism.AttentionData, outside ? Math.Round(decodeBatch, 1) : -1);
        var slot = (int)((uint)key.Hash() % Slots);
        if (Volatile.Read(ref _entries[slot]) is { } hit && hit.Key.Same(key)) return hit.Answer;

        var list = coverage.Assess(setup, engine, decodeBatch);
        var answer = new CoverageAnswer(list.ToList().AsReadOnly(), Extrapolation.Line(list), bands.For(list));
        Volatile.Write(ref _entries[slot], new Entry(key, answer));
        return answer;
    }

    private sealed record Entry(Key Key, CoverageAnswer Answer);

    private readonly record struct Key(
        CalibrationCoverage Coverage,
        ExtrapolationBands Bands,
        ModelArchitecture Model,
        ServingSoftware Engine,
        Architecture Generation,
        Precision Weights,
        Precision Experts,
        Precision Kv,
        int Tensor,
        int Pipeline,
        int Expert,
        int AttentionData,
        double Batch)
    {
        // Reference identity for the objects: record equality on a model or an engine would compare every field.
        public bool Same(in Key other) =>
            ReferenceEquals(Coverage, other.Coverage) && ReferenceEquals(Bands, other.Bands) && ReferenceEquals(Model, other.Model)
            && ReferenceEquals(Engine, other.Engine) && Generation == other.Generation && Weights == other.Weights
            && Experts == other.Experts && Kv == other.Kv && Tensor == other.Tensor && Pipeline == other.Pipeline
            && Expert == other.Expert && AttentionData == other.AttentionData && Batch.Equals(other.Batch);

        public int Hash() => HashCode.Combine(RuntimeHelpers.GetHashCode(Model), RuntimeHelpers.GetHashCode(Engine), Generation,
            HashCode.Combine(Weights, Experts, Kv), Tensor, Pipeline, Expert * 31 + AttentionData, Batch);
    }
}
