using Infercost.Serving;
using Xunit;

namespace Infercost.Tests.Serving;

public class ExploreTests(ITestOutputHelper output)
{
    [Fact]
    public void Print()
    {
        foreach (var (m, n, b) in new[] { (Fixtures.Llama70B, 4, 1), (Fixtures.Llama70B, 4, 64), (Fixtures.Llama8B, 1, 1), (Fixtures.Llama8B, 1, 256), (Fixtures.DeepSeekR1, 72, 32) })
        {
            var e = ServingEstimator.Estimate(m, Fixtures.H100, new ServingConfig { TotalDevices = n, Batch = b, InputTokens = 2035, OutputTokens = 300 });
            output.WriteLine($"{m.Id} n={n} b={b} {e.Parallelism} reps={e.Replicas} W/dev={e.Memory.Weights.Gigabytes:F1}GB maxB={e.Memory.MaxBatch} prefill={e.Prefill.TokensPerSecond.Value:F0} ttft={e.Prefill.TimeToFirstToken.Milliseconds:F1}ms decode step={e.Decode.StepTime.Milliseconds:F2}ms {e.Decode.Bound} mem={e.Decode.MemoryTime.Milliseconds:F2} comp={e.Decode.ComputeTime.Milliseconds:F2} comm={e.Decode.CommunicationTime.Milliseconds:F2} tok/s={e.Decode.TokensPerSecond.Value:F0} touched={e.Decode.ExpertsTouchedPerLayer:F1}");
        }
    }
}
