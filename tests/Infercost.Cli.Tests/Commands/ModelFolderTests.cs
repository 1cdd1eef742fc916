using System.Text.Json;

namespace Infercost.Cli.Tests.Commands;

public class ModelFolderTests
{
    private static string Fixture(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "HfConfigs", file));

    [Fact]
    public void ModelFolder_WithHfQuantConfig_IsReadAsItsQuantisedPrecision()
    {
        // Given a model folder as NVIDIA ships Qwen3-30B-A3B-NVFP4: config.json (bfloat16) and hf_quant_config.json (NVFP4)
        var files = new Dictionary<string, string>
        {
            ["models/Qwen3-30B-A3B-NVFP4/config.json"] = Fixture("Qwen--Qwen3-30B-A3B_config.json"),
            ["models/Qwen3-30B-A3B-NVFP4/hf_quant_config.json"] = Fixture("nvidia--Qwen3-30B-A3B-NVFP4_hf_quant_config.json"),
        };

        // When fit is asked about the folder
        var run = CliRunner.Run(files, "fit", "--model-config", "models/Qwen3-30B-A3B-NVFP4", "--gpu", "nvidia-h100-sxm", "--gpus", "1");

        // Then the weights are FP4, not bf16, the KV cache the FP8 its kv_cache_quant_algo names, and the model takes the folder's name
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Qwen3-30B-A3B-NVFP4", run.Console, StringComparison.Ordinal);
        Assert.Contains("fp4 / fp4 / fp8", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigFile_BesideAnHfQuantConfig_IsReadWithIt()
    {
        // Given the same checkpoint named by its config.json
        var files = new Dictionary<string, string>
        {
            ["m/config.json"] = Fixture("Qwen--Qwen3-30B-A3B_config.json"),
            ["m/hf_quant_config.json"] = Fixture("nvidia--Qwen3-30B-A3B-NVFP4_hf_quant_config.json"),
        };

        // When fit is asked about the file
        var run = CliRunner.Run(files, "fit", "--model-config", "m/config.json", "--gpu", "nvidia-h100-sxm", "--gpus", "1");

        // Then hf_quant_config.json beside it is read too
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("fp4 / fp4 / fp8", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void KvFlag_OverridesTheCheckpointsCachePrecision()
    {
        // Given the NVFP4 folder, whose hf_quant_config.json names an FP8 cache
        var files = new Dictionary<string, string>
        {
            ["m/config.json"] = Fixture("Qwen--Qwen3-30B-A3B_config.json"),
            ["m/hf_quant_config.json"] = Fixture("nvidia--Qwen3-30B-A3B-NVFP4_hf_quant_config.json"),
        };

        // When fit is asked with --kv bf16
        var run = CliRunner.Run(files, "fit", "--model-config", "m", "--gpu", "nvidia-h100-sxm", "--gpus", "1", "--kv", "bf16");

        // Then the flag wins
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("fp4 / fp4 / bf16", run.Console, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderWithoutConfig_SaysSo()
    {
        // Given a folder that holds only a tokenizer
        var files = new Dictionary<string, string> { ["models/x/tokenizer.json"] = "{}" };

        // When it is given as the model config
        var run = CliRunner.Run(files, "fit", "--model-config", "models/x", "--gpu", "nvidia-h100-sxm", "--gpus", "1");

        // Then one line says the folder has no config.json
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["--model-config folder 'models/x' has no config.json (a model folder holds config.json, and hf_quant_config.json for ModelOpt checkpoints)."], run.ErrorLines);
    }

    [Fact]
    public void FolderGivenAsAFile_SaysItIsAFolder()
    {
        // Given a folder where a catalog file is expected
        var files = new Dictionary<string, string> { ["models/x/config.json"] = "{}" };

        // When it is given to --catalog
        var run = CliRunner.Run(files, "cost", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--gpus", "1", "--catalog", "models/x");

        // Then the message says it is a folder (not "access denied")
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["cannot read --catalog file 'models/x': it is a folder, not a file."], run.ErrorLines);
    }

    [Fact]
    public void FolderGivenAsAStreamedFile_SaysItIsAFolder()
    {
        // Given a folder where validate's measurement file is expected (validate streams its file, line by line)
        var files = new Dictionary<string, string> { ["runs/a.csv"] = "id\n" };

        // When it is given to --data
        var run = CliRunner.Run(files, "validate", "--data", "runs");

        // Then the message says it is a folder, naming --data
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["cannot read --data file 'runs': it is a folder, not a file."], run.ErrorLines);
    }

    [Fact]
    public void FolderGivenAsAStateFile_SaysItIsAFolder()
    {
        // Given a folder where search's state file is expected (a state file that does not exist yet is started)
        var files = new Dictionary<string, string> { ["state/old.jsonl"] = "" };

        // When it is given to --state
        var run = CliRunner.Run(files, "search", "--model", "llama-3.1-8b", "--gpu", "nvidia-h100-sxm", "--rate", "5", "--state", "state");

        // Then the message says it is a folder, naming --state, before any simulation
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(["cannot read --state file 'state': it is a folder, not a file."], run.ErrorLines);
    }

    [Fact]
    public void MillionTokenPrompt_CostsLessOnAHybridThanOnFullAttention()
    {
        // Given Qwen3-30B-A3B (full attention on all 48 layers) and Qwen3-Next-80B-A3B (Gated DeltaNet on 36 of 48),
        // both about 3B active
        var files = new Dictionary<string, string>
        {
            ["dense/config.json"] = Fixture("Qwen--Qwen3-30B-A3B_config.json"),
            ["hybrid/config.json"] = Fixture("Qwen--Qwen3-Next-80B-A3B-Thinking_config.json"),
        };

        // When each is costed with a 1,000,000-token prompt on 8 H200s
        (double PerToken, double MaxBatch, double Blended) Cost(string folder)
        {
            var run = CliRunner.Run(files, "cost", "--model-config", folder, "--gpu", "nvidia-h200-sxm", "--gpus", "8", "--input", "1000000", "--allow-long-context", "--json");
            Assert.Equal(0, run.ExitCode);
            using var doc = JsonDocument.Parse(run.Out);
            var memory = doc.RootElement.GetProperty("serving").GetProperty("memory");
            return (memory.GetProperty("kvBytesPerToken").GetDouble(), memory.GetProperty("maxBatch").GetDouble(),
                doc.RootElement.GetProperty("cost").GetProperty("blendedPerMillion").GetDouble());
        }

        // Then the hybrid caches a quarter of the KV per token, fits more million-token sequences and costs less per token
        var dense = Cost("dense");
        var hybrid = Cost("hybrid");
        Assert.Equal(dense.PerToken / 4, hybrid.PerToken);
        Assert.True(hybrid.MaxBatch > 3 * dense.MaxBatch, $"max batch: hybrid {hybrid.MaxBatch}, dense {dense.MaxBatch}");
        Assert.True(hybrid.Blended < dense.Blended / 2, $"$/MTok blended: hybrid {hybrid.Blended}, dense {dense.Blended}");
    }
}
