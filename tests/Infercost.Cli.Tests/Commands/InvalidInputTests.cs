namespace Infercost.Cli.Tests.Commands;

public sealed class InvalidInputTests
{
    private const string Cost = "cost --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 8";

    public static TheoryData<string, string> OneLineFailures => new()
    {
        { "cost --model deepseek-r --gpu nvidia-h100-sxm --gpus 8", "unknown model 'deepseek-r'; did you mean deepseek-r1" },
        { "cost --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 0", "--gpus must be in [1, 1000000]; was 0." },
        { "cost --model deepseek-r1 --gpu nvidia-h100-sxm --gpus abc", "--gpus must be a whole number; was 'abc'." },
        { "cost --model deepseek-r1 --gpu nvidia-h100-sxm --gpus -3", "--gpus must be in [1, 1000000]; was -3." },
        { Cost + " --weights fp3", "--weights must be one of fp16, bf16, fp8, int8, int4, fp4, nvfp4, mxfp4; was 'fp3'." },
        { Cost + " --utilisation 1.5", "--utilisation must be in [0.01, 1]; was 1.5." },
        { Cost + " --mfu NaN", "--mfu must be in [0.001, 1]; was NaN." },
        { Cost + " --gpu-price Infinity", "--gpu-price must be in [0, 10000]; was Infinity." },
        { Cost + " --gpu-price -1", "--gpu-price must be in [0, 10000]; was -1." },
        { Cost + " --purchase-price 30000", "--purchase-price applies to owned hardware; add --owned." },
        { Cost + " --bogus", "Unrecognized command or argument '--bogus'." },
        { "cost --model deepseek-r1 --gpu nvidia-h100-sxm", "Option '--gpus' is required." },
        { "cost --gpu nvidia-h100-sxm --gpus 1", "model is required" },
        { "cost --model llama-3.1-405b --gpu nvidia-h100-sxm --gpus 1", "llama-3.1-405b does not fit on 1 × nvidia-h100-sxm" },
        { "cost --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --catalog missing.json", "cannot read --catalog file 'missing.json'" },
        { "cost --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --model-config nowhere/config.json", "cannot read --model-config file" },
        { "check --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 8", "give exactly one of --prefill-tps, --decode-tps, --input-price, --output-price; was 0." },
        { "sweep --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 1 --batches 1,x", "--batches must be a comma-separated list of whole numbers; was '1,x'." },
        { "catalog show nvidia-h100-sx", "unknown accelerator 'nvidia-h100-sx'; did you mean nvidia-h100-sxm" },
        { "catalog list foo", "Argument 'foo' not recognized." },
        { "", "Required command was not provided." },
        // A context beyond the model's maximum is refused unless the user says they mean it (issue 9 item 10)
        { "cost --model llama-3.1-8b --gpu nvidia-h100-sxm --gpus 8 --input 200000", "--input 200000 + --output 1000 = 201000 tokens exceeds llama-3.1-8b's maximum context of 131072; shorten them, or add --allow-long-context to estimate it anyway." },
        // Expert parallelism beyond the expert count would leave ranks without an expert (issue 9 item 8)
        { "cost --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 1024 --tp 1 --ep 1024 --dp 1024", "ep must be at most deepseek-r1's 256 routed experts per layer; was 1024." },
        // Expert parallelism that does not divide the replica names --ep, --dp, the product and what is accepted (issue 9: "ep must be in [1, 1]" puzzled)
        { "cost --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 72 --ep 1024", "--ep 1024 must divide one replica's GPUs, --tp × --pp × --dp = 1 × 1 × 1 = 1 (a flag not given is 1): expert parallelism spreads the routed experts over the replica's own GPUs, so --ep can be 1 here. For --ep 1024, raise --dp (or --tp) so that --tp × --pp × --dp is a multiple of 1024." },
        { "cost --model deepseek-r1 --gpu nvidia-h100-sxm --gpus 72 --dp 72 --ep 48", "--tp × --pp × --dp = 1 × 1 × 72 = 72 (a flag not given is 1): expert parallelism spreads the routed experts over the replica's own GPUs, so --ep can be 1, 2, 3, 4, 6, 8, 9, 12, 18, 24, 36, 72 here." },
    };

    [Theory]
    [MemberData(nameof(OneLineFailures))]
    public void InvalidInput_ExitsTwoWithOneLineOnStderr(string args, string expected)
    {
        var run = CliRunner.Run(args.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Console);
    }

    [Fact]
    public void MalformedCatalog_ExitsTwoListingEveryProblemWithItsPath_OnOneLine()
    {
        var files = new Dictionary<string, string>
        {
            ["bad.json"] = """{ "accelerators": [ { "id": "x", "memoryGB": -1, "colour": "red" } ] }""",
        };

        var run = CliRunner.Run(files, "cost", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1", "--catalog", "bad.json");

        Assert.Equal(2, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("bad.json: 9 problems: (1) accelerators[0].colour: unknown field; accepted: id, ", line, StringComparison.Ordinal);
        Assert.Contains("; (4) accelerators[0].memoryGB: must be > 0; was -1; (5) ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CatalogWithOneBadEntry_IsOneLine()
    {
        // Issue 9: a catalog with one bad field printed a "1 problem" header and the problem on a second line
        var good = CliRunner.AcmeCatalog.Replace("\"memoryGB\": 192", "\"memoryGB\": -1", StringComparison.Ordinal);
        var files = new Dictionary<string, string> { ["acme.json"] = good };

        var run = CliRunner.Run(files, "cost", "--model", "llama-3.1-8b", "--gpu", "acme-x1", "--gpus", "1", "--catalog", "acme.json");

        Assert.Equal(2, run.ExitCode);
        Assert.Equal("acme.json: accelerators[0].memoryGB: must be > 0; was -1.", Assert.Single(run.ErrorLines));
        Assert.Equal("", run.Console);
    }

    [Fact]
    public void CatalogThatIsNotJson_ExitsTwo()
    {
        var files = new Dictionary<string, string> { ["bad.json"] = "{ not json" };

        var run = CliRunner.Run(files, "catalog", "list", "--catalog", "bad.json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bad.json", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnexpectedFailure_ExitsOneWithOneErrorLine()
    {
        // Given a file system that fails in a way no input validation anticipates
        var run = CliRunner.Run(_ => throw new InvalidOperationException("disk on fire\nsecond line"),
            "catalog", "list", "--catalog", "any.json");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(["error: disk on fire"], run.ErrorLines);
    }
}
