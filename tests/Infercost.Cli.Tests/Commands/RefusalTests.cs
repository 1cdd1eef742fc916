namespace Infercost.Cli.Tests.Commands;

// Issue 9 items 11-13: each refusal names the option typed, its range and the value as typed, and an input that
// cannot take effect is refused rather than ignored. Every row failed before the fix it tests.
public sealed class RefusalTests
{
    private const string Simulate = "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --requests 50";

    public static TheoryData<string, string> Refusals => new()
    {
        // Item 11: the value as typed, not transformed (was "infinity", "1E+300", "8.57143")
        { "cost --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --gpu-price 1e400", "gpu-price must be in [0, 10000]; was 1e400." },
        { Simulate + " --rate 1 --slo-ttft 1e400s", "slo-ttft must be in [1E-06, 86400] seconds; was 1e400s." },
        { "subscription value --weeks-per-month 60/7", "weeks-per-month must be in [1, 6]; was 60/7." },
        // Item 11: the option's name, not the core's (was "weeksPerMonth", "share of gpt-4o")
        { "subscription value --weeks-per-month 52/0", "weeks-per-month must be a number or a fraction such as 30/7 or 52/12; was '52/0'." },
        { "route --profile chat --tier gpt-4o=2", "tier gpt-4o share must be in [0, 1]; was 2." },
        // Item 11: an unknown id or choice says which option it came from
        { "compare --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --versus h100", "--versus: unknown accelerator 'h100'" },
        { "training --train-params 8e9 --train-tokens 15e12 --train-gpu h100", "--train-gpu: unknown accelerator 'h100'" },
        { "emulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --on-disconnect later", "--on-disconnect: Argument 'later' not recognized." },
        // Item 11: a word after a switch names the switch (was "Unrecognized command or argument 'maybe'")
        { "cost --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --json maybe", "--json is a switch and takes no value (or true/false); was 'maybe'." },
        // Item 12: whole numbers typed with an exponent are checked against the range; every figure has an upper bound
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --rate 1 --requests 1e9", "requests must be in [1, 100000000]; was 1e9." },
        { "subscription cost --plan max-20x --input-per-day 1e300", "input-per-day must be in [0, 1E+12]; was 1e300." },
        { "margin --price-model gpt-4o --cost-in 1e300 --cost-out 1", "cost-in must be in [0, 100000]; was 1e300." },
        { "check --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --decode-tps 1e300", "decode-tps must be in (0, 1E+12]; was 1e300." },
        // Item 13: an empty list item, a duplicate tier
        { "sweep --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --batches 1,,2", "batches item 2 is empty; was '1,,2'." },
        { "route --profile chat --tier gpt-4o=0.5 --tier gpt-4o=0.5", "tier gpt-4o is given 2 times; give each tier once with its whole share." },
        // Item 13: inputs that cannot take effect
        { Simulate + " --rate 1 --cv 3", "--cv shapes gamma arrivals; add --arrival gamma, or drop --cv." },
        { "plan --model llama-3.1-8b --gpu nvidia-h100-sxm --rate 1 --cv 3", "--cv shapes gamma arrivals; add --arrival gamma, or drop --cv." },
        { Simulate + " --rate 1 --think-time 5", "--think-time applies to multi-turn sessions; add --turns, or drop it." },
        { Simulate + " --rate 1 --prefix-hit 0.5", "--prefix-hit applies to multi-turn sessions; add --turns, or drop it." },
        { Simulate + " --concurrency 4 --diurnal", "--diurnal varies the arrival rate; a closed loop (--concurrency) has no arrivals. Drop one." },
        { Simulate + " --rate 1 --trace-format azure", "--trace-format applies to a trace replay; add --trace FILE." },
        { "measure --endpoint http://127.0.0.1:9 --model m --concurrency 1 --catalog-model llama-3.1-8b", "--catalog-model prices the run against Infercost's model; add --gpu ID." },
        { "measure --endpoint http://127.0.0.1:9 --model m --concurrency 1 --out no/such/folder/r.json", "cannot write --out file 'no/such/folder/r.json': the folder 'no/such/folder' does not exist." },
        { "calibrate --data runs.csv --online online.csv", "--online applies to the band fit; add --bands." },
        { "workload --model gpt-4o --catalog mine.json", "--catalog applies to a self-hosted cluster; add --self-host." },
        { "margin --price-model gpt-4o --cost-in 1 --cost-out 2 --catalog mine.json", "--catalog describes the self-hosted cluster's model and GPU" },
        { "pnl deepseek-day6 --catalog mine.json", "--catalog only supplies the training run's accelerator" },
        { "price-curve --model gpt-3.5-turbo --years 2", "--years applies to constant mode; add --factor X" },
        { "cost --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --expert-weights fp8", "--expert-weights fp8 applies to routed experts; llama-3.1-8b is dense and has none. Use --weights." },
        // Item 12: what --gpus accepts is what runs: the simulator's replica limit is said in --gpus terms
        { "simulate --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1000000 --rate 1 --requests 10", "--gpus 1000000 makes 1000000 replicas of 1 device(s); a simulation runs at most 100000 replicas." },
        // Item 12: --gpu-price 0 is refused by breakeven in its own terms (a free cluster has no break-even), not as clusterPerHour
        { "breakeven --api-model gpt-4o --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --gpu-price 0", "(--gpu-price 0) is cheaper than the API at every volume, so there is no break-even; give --gpu-price above 0." },
        { "pnl --gpus 8 --gpu-price 2 --input-tokens 1e6 --cached-tokens 2e6 --output-tokens 1 --price-in 1 --price-out 1", "cached-tokens must be in [0, 1E+06]" },
    };

    [Fact]
    public void HistogramBinThatIsNotWhole_NamesItsLine()
    {
        var files = new Dictionary<string, string> { ["lengths.csv"] = "tokens,weight\n100,1\n1.5,2\n" };

        var run = CliRunner.Run(files, "simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1", "--rate", "1",
            "--requests", "10", "--input-hist", "lengths.csv");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["lengths.csv line 3: tokens must be a whole number in [1, 10000000]; was '1.5'."], run.ErrorLines);
    }

    // Item 11: never raw bytes of a binary file (the refusal quoted the unreadable line: NULs and escape characters).
    [Theory]
    [InlineData("--rate-curve", "--duration", "1h")]
    [InlineData("--trace", "--requests", "10")]
    public void BinaryFile_IsRefusedWithoutItsBytes(string option, string other, string value)
    {
        var binary = "\u007fELF\u0002\u0001\u0001\0\0\0\0\u001b[2J\n\0\u000b\0\u0003\uFFFD\uFFFD\0\n";
        var files = new Dictionary<string, string> { ["tool.bin"] = binary };

        var run = CliRunner.Run(files, "simulate", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1", other, value, option, "tool.bin");

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("binary data (not text)", run.Error, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFD]", run.Error);
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Refusal_IsOneLineNamingTheOption(string args, string expected)
    {
        var run = CliRunner.Run(args.Split(' '));

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
    }
}
