using BenchmarkDotNet.Running;

namespace Infercost.Benchmarks;

// Run: dotnet run -c Release --project bench/Infercost.Benchmarks -- --filter '*'
// Results and the command used are recorded in docs/performance.md.
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
