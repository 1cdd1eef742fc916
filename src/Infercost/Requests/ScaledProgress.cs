namespace Infercost.Requests;

/// <summary>A sub-task's progress, 0..1, reported as offset + share × value of the whole's, synchronously (no
/// thread-pool hop): plan's aggregated and disaggregated halves, the three runs of a band.</summary>
internal sealed class ScaledProgress(IProgress<double> whole, double offset, double share) : IProgress<double>
{
    /// <summary>The part of <paramref name="whole"/> from <paramref name="offset"/> of width <paramref name="share"/>; null
    /// when no one listens.</summary>
    public static ScaledProgress? Of(IProgress<double>? whole, double offset, double share) =>
        whole is null ? null : new ScaledProgress(whole, offset, share);

    /// <inheritdoc />
    public void Report(double value) => whole.Report(offset + (share * value));
}
