using System.Text.Json;

namespace Infercost.Cli.Tests.Datacenter;

public sealed class DatacenterCommandTests
{
    [Fact]
    public void Claim220kGpus_PrintsEachPowerStage_AndWhatReconcilesTheClaim()
    {
        var run = CliRunner.Run("datacenter", "--gpu", "nvidia-h100-sxm", "--gpus", "220000", "--claimed-megawatts", "300");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"Board power \(TDP only\)\s+│ 154\.0 MW \(700 W each\)", run.Console);
        Assert.Matches(@"IT load\s+│ 308\.6 MW", run.Console);
        Assert.Matches(@"Facility power\s+│ 370\.3 MW \(1,683 W each, PUE 1\.2\)", run.Console);
        Assert.Matches(@"Claimed per accelerator\s+│ 1,364 W", run.Console);
        Assert.Contains("81.0% of rated", run.Console, StringComparison.Ordinal);
        Assert.Contains("DGX H100 user guide", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void FromMegawatts_WithAModel_GivesTokensUsersAndCost()
    {
        var run = CliRunner.Run("datacenter", "--gpu", "nvidia-h100-sxm", "--megawatts", "100", "--model", "llama-3.3-70b",
            "--tokens-per-user-day", "20000", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var plan = json.RootElement.GetProperty("plan");
        var n = plan.GetProperty("accelerators").GetInt64();
        Assert.Equal((long)Math.Floor(100e6 / (1275 * 1.1 * 1.2)), n);
        var tokens = plan.GetProperty("tokensPerDay").GetDouble();
        Assert.Equal(tokens / 20000, plan.GetProperty("users").GetDouble(), 1e-6);
        Assert.True(plan.GetProperty("costPerMillionTokens").GetDouble() > 0);
        Assert.Equal(11, json.RootElement.GetProperty("parameterSources").EnumerateObject().Count());
    }

    [Fact]
    public void WithAModel_PrintsThePlanAtTheBandsEnds_AndWhatItExtrapolates()
    {
        string[] args = ["datacenter", "--gpu", "nvidia-b200", "--users", "1e7", "--tokens-per-user-day", "20000", "--model", "deepseek-r1"];
        var run = CliRunner.Run(args);
        var json = CliRunner.Run([.. args, "--json"]);

        Assert.Equal(0, run.ExitCode);
        using var doc = JsonDocument.Parse(json.Out);
        var bands = doc.RootElement.GetProperty("bands");
        var (slow, fast) = (bands.GetProperty("slow"), bands.GetProperty("fast"));
        var central = doc.RootElement.GetProperty("plan").GetProperty("accelerators").GetInt64();
        Assert.True(slow.GetProperty("accelerators").GetInt64() > central && central > fast.GetProperty("accelerators").GetInt64());

        // The table's accelerators row is the JSON's, end by end, and the extrapolating line is printed
        Assert.Contains("At the engine's throughput band (", run.Console, StringComparison.Ordinal);
        string N(long n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches($@"Accelerators\s+│ {N(central)}\s+│ {N(slow.GetProperty("accelerators").GetInt64())}\s+│ {N(fast.GetProperty("accelerators").GetInt64())}\s+│", run.Console);
        Assert.Contains("extrapolating: Blackwell", run.Console, StringComparison.Ordinal);
        Assert.Equal("Blackwell", doc.RootElement.GetProperty("extrapolating")[0].GetProperty("label").GetString());
    }

    [Fact]
    public void FromUsers_RoundTripsToAtLeastThoseUsers()
    {
        var run = CliRunner.Run("datacenter", "--gpu", "nvidia-h100-sxm", "--users", "1e6", "--tokens-per-user-day", "20000",
            "--prefill-tps", "4000", "--decode-tps", "1000", "--input", "1000", "--output", "500", "--json");

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var plan = json.RootElement.GetProperty("plan");

        // 1e6 users × 20,000 tokens ÷ (86,400 s ÷ 0.75 s × 1,500 tokens) = 115.7 → 116 accelerators
        Assert.Equal(116, plan.GetProperty("accelerators").GetInt64());
        Assert.True(plan.GetProperty("users").GetDouble() >= 1e6);
    }

    [Theory]
    [InlineData("Give one of --gpus, --megawatts, --capex, --tokens-per-day or --users", "datacenter", "--gpu", "nvidia-h100-sxm")]
    [InlineData("Give only one of", "datacenter", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--megawatts", "1")]
    [InlineData("pue must be in [1, 3]; was 0.5.", "datacenter", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--pue", "0.5")]
    [InlineData("megawatts buys no accelerator: one needs 0.001683 MW; was 0.0001.", "datacenter", "--gpu", "nvidia-h100-sxm", "--megawatts", "0.0001")]
    [InlineData("--users needs --tokens-per-user-day", "datacenter", "--gpu", "nvidia-h100-sxm", "--users", "5")]
    [InlineData("--claimed-megawatts checks a claimed count and power: size with --gpus.", "datacenter", "--gpu", "nvidia-h100-sxm", "--megawatts", "5", "--claimed-megawatts", "3")]
    [InlineData("--replica-gpus applies to --model", "datacenter", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--replica-gpus", "8")]
    [InlineData("--engine applies to the engine's rate; add --model.", "datacenter", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--engine", "vllm")]
    [InlineData("--engine must be one of", "datacenter", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--model", "llama-3.3-70b", "--engine", "tgi")]
    [InlineData("--replica-gpus 1: deepseek-r1 does not fit on 1 × nvidia-h100-sxm", "datacenter", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--model", "deepseek-r1", "--replica-gpus", "1")]
    [InlineData("--tokens-per-day needs a serving rate (--model, or --prefill-tps and --decode-tps)", "datacenter", "--gpu", "nvidia-h100-sxm", "--tokens-per-day", "1e9")]
    [InlineData("--engine applies to a self-hosted cluster; add --self-host.", "workload", "--profile", "chat", "--engine", "vllm")]
    [InlineData("--train-params is required", "training", "--train-tokens", "1e12")]
    [InlineData("train-mfu must be in [0.0001, 1]; was 2.", "training", "--train-params", "1e9", "--train-tokens", "1e12", "--train-mfu", "2")]
    [InlineData("--training-cost and --train-params both give the training bill", "pnl", "deepseek-day6", "--training-cost", "1e6", "--train-params", "37e9", "--train-tokens", "1e12")]
    public void BadInput_IsOneLine_ExitTwo(string message, params string[] args)
    {
        var run = CliRunner.Run(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_Llama405B_PrintsFlopsHoursAndImpliedMfu()
    {
        var run = CliRunner.Run("training", "--train-params", "405e9", "--train-tokens", "15.6e12", "--train-gpu-price", "2",
            "--published-gpu-hours", "30.84e6");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("3.79e+25 FLOP", run.Console, StringComparison.Ordinal);
        Assert.Contains("implies 34.5% MFU", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Pnl_AmortisesTheTrainingEstimate()
    {
        // DeepSeek-V3's 37B × 14.8T at the 33.0% BF16 MFU its 2.788M H800-hours imply costs its published $5.576M
        var run = CliRunner.Run("pnl", "deepseek-day6", "--train-params", "37e9", "--train-tokens", "14.8e12", "--train-mfu", "0.33",
            "--train-gpu-price", "2");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Lab view: training paid out of inference", run.Console, StringComparison.Ordinal);
        Assert.Matches(@"Training cost\s+│ \$5,5\d\d,\d\d\d over 1 year", run.Console);
    }
}
