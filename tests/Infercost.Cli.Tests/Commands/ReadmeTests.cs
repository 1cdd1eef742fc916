namespace Infercost.Cli.Tests.Commands;

// Issue 9 item 18: the README's worked example quotes what the commands it shows print today.
public sealed class ReadmeTests
{
    public static TheoryData<string, string[]> WorkedExample() => new()
    {
        { "check --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 8 --prefill-tps 1440000 --active-params 37e9 --precision fp8",
            ["IMPOSSIBLE", "13.32 PFLOP/s", "6.73x", "213,946 tok/s"] },
        { "check --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 72 --input-price 0.003 --gpu-price 2 --active-params 37e9 --precision bf16",
            ["$0.0416/MTok", "13.86x"] },
        { "cost --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 72", ["EP72", "$0.347", "$2.75/h per GPU"] },
        { "cost --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 72 --gpu-price 2", ["$0.252"] },
    };

    [Theory]
    [MemberData(nameof(WorkedExample))]
    public void WorkedExample_QuotesWhatTheCommandPrints(string command, string[] figures)
    {
        var run = CliRunner.Run(command.Split(' '));

        Assert.Equal(0, run.ExitCode);
        foreach (var figure in figures) Assert.Contains(figure, run.Console, StringComparison.Ordinal);
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        // The README shows the command (the last one only in words: "$0.25 at Alderson's $2/h") and quotes its figures.
        if (!command.EndsWith("--gpu-price 2", StringComparison.Ordinal)) Assert.Contains(command, readme, StringComparison.Ordinal);
        foreach (var figure in figures.Where(f => f.StartsWith('$') || char.IsDigit(f[0])))
        {
            var quoted = figure switch { "$0.347" => "$0.35/MTok", "$0.252" => "$0.25 at Alderson's $2/h", "$2.75/h per GPU" => "$2.75/GPU-h", _ => figure };
            Assert.Contains(quoted, readme, StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Infercost.slnx"))) return dir.FullName;
        }

        throw new InvalidOperationException("Infercost.slnx not found above " + AppContext.BaseDirectory);
    }
}
