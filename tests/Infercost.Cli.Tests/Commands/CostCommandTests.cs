using System.Text.Json;

namespace Infercost.Cli.Tests.Commands;

public sealed class CostCommandTests
{
    private static readonly string[] DeepSeekOn72 = ["cost", "--model", "deepseek-r1", "--gpu", "nvidia-h100-sxm", "--gpus", "72"];

    [Fact]
    public void Cost_DeepSeekR1On72H100_RendersEveryTableWithPricesPerMillion()
    {
        // Given the brief's headline configuration
        // When it is costed
        var run = CliRunner.Run(DeepSeekOn72);

        // Then it succeeds and prints setup, memory, throughput, cost and notes, with $/MTok rows
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        foreach (var title in new[] { "Setup", "Memory (per GPU)", "Throughput", "Cost", "Notes" }) Assert.Contains(title, run.Console);
        Assert.Matches(@"\$/MTok input\s+│ \$[0-9.,]+", run.Console);
        Assert.Matches(@"\$/MTok output\s+│ \$[0-9.,]+", run.Console);
        Assert.Matches(@"\$/MTok blended\s+│ \$[0-9.,]+", run.Console);
        Assert.Contains("72 devices", run.Console);
    }

    [Fact]
    public void Cost_Json_CarriesDecodeStepTimeAndCostFields()
    {
        var run = CliRunner.Run([.. DeepSeekOn72, "--json"]);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Console);
        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        var stepTime = root.GetProperty("serving").GetProperty("decode").GetProperty("stepTime").GetDouble();
        Assert.InRange(stepTime, 1e-4, 10);
        var decode = root.GetProperty("serving").GetProperty("decode");
        // The bound names the largest term, communication included (DeepSeek-R1 on 72 H100s: 95 of 139 ms in collectives)
        var terms = new[] { ("compute", "computeTime"), ("memory", "memoryTime"), ("communication", "communicationTime"), ("overhead", "overhead") };
        var largest = terms.MaxBy(t => decode.GetProperty(t.Item2).GetDouble()).Item1;
        Assert.Equal(largest, decode.GetProperty("bound").GetString());
        Assert.Equal("communication", largest);
        var cost = root.GetProperty("cost");
        Assert.True(cost.GetProperty("outputPerMillion").GetDouble() > cost.GetProperty("inputPerMillion").GetDouble());
        Assert.Equal(72 * 2.75, cost.GetProperty("cluster").GetProperty("total").GetDouble(), 6);
        Assert.Equal("rental", root.GetProperty("basis").GetProperty("kind").GetString());
    }

    [Fact]
    public void Cost_DeepSeekR1On72H100_LabelsCommunicationBound_ShowsWholeSequenceKv_AndSaysPerWhatTheBatchIsCapped()
    {
        var run = CliRunner.Run(DeepSeekOn72);

        Assert.Equal(0, run.ExitCode);
        // Collectives are the largest term in both phases (issue 9 item 2)
        Assert.Matches(@"Decode bound\s+│ communication", run.Console);
        Assert.Contains("communication-bound", run.Console, StringComparison.Ordinal);
        // One sequence needs its whole cache on its DP rank (61 layers × 576 × 2000 tokens × 2 bytes = 140.5 MB), not ÷ 72
        Assert.Matches(@"KV per sequence at 2,000 tokens\s+│ 140\.5 MB", run.Console);
        // --max-batch is per DP rank and the table says so (item 3)
        Assert.Contains("18,432 per replica (--max-batch 256 per DP rank × 72 ranks)", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_DataParallelReplica_CapsTheBatchPerDpRankLikeCost()
    {
        var run = CliRunner.Run("simulate", "--model", "deepseek-r1", "--gpu", "nvidia-h100-sxm", "--gpus", "16", "--tp", "1", "--ep", "16", "--dp", "16",
            "--rate", "1", "--requests", "20", "--max-batch", "4");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("64 sequences", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_AllowLongContext_EstimatesBeyondTheModelsMaximumWithANote()
    {
        var run = CliRunner.Run("cost", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--input", "200000", "--allow-long-context");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("exceeds llama-3.1-8b's maximum of 131072", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_GpuPrice_ScalesEveryDollarFigure()
    {
        // Given the same setup at $1 and $3 per GPU-hour
        var one = Output(CliRunner.Run([.. DeepSeekOn72, "--gpu-price", "1", "--json"]));
        var three = Output(CliRunner.Run([.. DeepSeekOn72, "--gpu-price", "3", "--json"]));

        // Then output price triples: cost scales with the hourly rate, throughput unchanged
        Assert.Equal(3 * one, three, 9);

        static double Output(CliRun run) =>
            JsonDocument.Parse(run.Out).RootElement.GetProperty("cost").GetProperty("outputPerMillion").GetDouble();
    }

    [Fact]
    public void Cost_Owned_SplitsCapitalAndEnergy()
    {
        var run = CliRunner.Run("cost", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1",
            "--owned", "--purchase-price", "30000", "--lifespan-years", "4", "--electricity", "0.1", "--pue", "1.2");

        Assert.Equal(0, run.ExitCode);
        // 30000 / (4 × 8760) = $0.856/h capital; 0.7 kW × 1.2 × $0.1 = $0.084/h energy
        Assert.Contains("capital $0.856/h + energy $0.0840/h", run.Console);
    }

    [Fact]
    public void Cost_FixedLayout_IsTheLayoutUsed()
    {
        var run = CliRunner.Run("cost", "--model", "llama-3.1-70b", "--gpu", "nvidia-h100-sxm", "--gpus", "8", "--tp", "4");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("4 × nvidia-h100-sxm (TP4)", run.Console);
        Assert.Contains("2 on 8 devices", run.Console);
    }

    [Fact]
    public void Cost_UserCatalog_AddsAGpuThatCostCanUse()
    {
        var files = new Dictionary<string, string> { ["mine.json"] = CliRunner.AcmeCatalog };

        var run = CliRunner.Run(files, "cost", "--model", "llama-3.1-70b", "--gpu", "acme-x1", "--gpus", "2", "--catalog", "mine.json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("acme-x1 (Acme X1)", run.Console);
        Assert.Contains("rental at $1.25/h per GPU", run.Console);
    }

    [Fact]
    public void Cost_ModelConfig_TakesTheIdFromTheFolderAndNeedsNoModel()
    {
        var files = new Dictionary<string, string> { ["models/my-llama/config.json"] = HuggingFaceLlama8B };

        var run = CliRunner.Run(files, "cost", "--model-config", "models/my-llama/config.json", "--gpu", "nvidia-h100-sxm", "--gpus", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("my-llama", run.Console);
        Assert.Contains("8.03 B", run.Console);
    }

    // meta-llama/Llama-3.1-8B config.json (Hugging Face), trimmed of keys that do not change the shape.
    private const string HuggingFaceLlama8B = """
        {
          "architectures": ["LlamaForCausalLM"], "attention_bias": false, "hidden_size": 4096, "intermediate_size": 14336,
          "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama", "num_attention_heads": 32,
          "num_hidden_layers": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05, "rope_theta": 500000.0,
          "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 128256
        }
        """;
}
