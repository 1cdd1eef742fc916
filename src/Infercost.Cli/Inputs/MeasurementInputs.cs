using System.CommandLine;
using Infercost.Calibration;

namespace Infercost.Cli.Inputs;

/// <summary>The options of the commands that read measured runs: <c>--data</c>, <c>--catalog</c>, <c>--software</c>, <c>--json</c>.</summary>
internal sealed class MeasurementInputs
{
    private readonly CatalogInputs _catalog = new();

    public Option<string> Data { get; } = new("--data")
    {
        Description = "Measurements CSV: id, source, model, accelerator, gpus, tensor_parallel, pipeline_parallel, expert_parallel, " +
                      "attention_data_parallel, weight_precision, kv_precision, scenario (max-throughput|concurrency), input_tokens, " +
                      "output_tokens, concurrency, measured_output_tokens_per_s, citation. Extra columns are ignored.",
        HelpName = "FILE.csv",
        Required = true,
    };

    public Option<string> Software { get; } = new("--software")
    {
        Description = "Serving-engine defaults the runs used: trtllm (max batch 2048, 8192 tokens per step, KV gets 90% of free " +
                      "memory, no sliding windows) or vllm (256 sequences, 8192 tokens, 90% of memory).",
        HelpName = "trtllm|vllm",
        DefaultValueFactory = _ => "trtllm",
    };

    public Option<bool> Json { get; } = CommonOptions.Json();

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        _catalog.AddTo(command);
        command.Options.Add(Software);
        command.Options.Add(Json);
    }

    /// <summary>The measured rows, the catalog and the software profile the options name.</summary>
    /// <exception cref="InvalidInputException">Unreadable or malformed file, bad catalog, unknown software.</exception>
    public (IReadOnlyList<Measurement> Rows, Catalog.Catalog Catalog, ServingSoftware Software) Load(ParseResult parse, CliContext context)
    {
        var path = parse.GetValue(Data)!;
        var rows = MeasurementCsv.Parse(context.ReadText(path, "--data"), path);
        return (rows, _catalog.Load(parse, context), SoftwareNamed(parse.GetValue(Software)));
    }

    /// <summary>The software profile named by <paramref name="name"/>.</summary>
    public static ServingSoftware SoftwareNamed(string? name) => name?.ToLowerInvariant() switch
    {
        "trtllm" or "tensorrt-llm" => ServingSoftware.TensorRtLlm,
        "vllm" => ServingSoftware.Vllm,
        _ => throw new InvalidInputException("software", $"software must be one of trtllm, vllm; was '{name}'."),
    };
}
