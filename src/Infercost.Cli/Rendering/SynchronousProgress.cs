namespace Infercost.Cli.Rendering;

/// <summary>Reports progress on the calling thread (Spectre's progress display redraws on its own).</summary>
internal sealed class SynchronousProgress(Action<double> report) : IProgress<double>
{
    public void Report(double value) => report(value);
}
