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

    public Option<string> Software { get; } = new("--engine", "--software")
    {
        Description = "Serving engine of the rows whose optional engine column is empty: trtllm (TensorRT-LLM 0.17: max batch 2048, " +
                      "8192 tokens per step, KV gets 90% of free memory, no sliding windows) or vllm (256 sequences, 8192 tokens, " +
                      "90% of memory). --software is the old name.",
        HelpName = "engine",
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

    /// <summary>The measured rows, the catalog and the engine profile the options name; any bad row is an error.</summary>
    /// <exception cref="InvalidInputException">Unreadable or malformed file, bad catalog, unknown engine.</exception>
    public (IReadOnlyList<Measurement> Rows, Catalog.Catalog Catalog, ServingSoftware Software) Load(ParseResult parse, CliContext context)
    {
        var (file, catalog, software) = LoadLenient(parse, context);
        if (file.Problems.Count > 0)
        {
            // One line however many rows are bad (bad input is one line on stderr), numbered when there are several.
            throw new InvalidInputException("--data", file.Problems.Count == 1
                ? file.Problems[0].Message
                : $"{file.Problems.Count} problems in --data: " + string.Join(" ", file.Problems.Select((p, i) => $"({i + 1}) {p.Message}")));
        }

        return (file.Rows, catalog, software);
    }

    /// <summary>The rows of <c>--data</c> streamed from <paramref name="reader"/> as they are enumerated (the file is
    /// never read whole), the problems of bad rows added to <paramref name="problems"/> as they are passed over.</summary>
    /// <exception cref="InvalidInputException">Bad catalog or unknown engine; on enumeration, a missing column.</exception>
    public (IEnumerable<Measurement> Rows, Catalog.Catalog Catalog, ServingSoftware Software) Stream(ParseResult parse, CliContext context,
        TextReader reader, List<RowProblem> problems)
    {
        var software = ServingSoftware.Named(parse.GetValue(Software), "engine");
        var rows = MeasurementCsv.Stream(MeasurementCsv.Records(reader), parse.GetValue(Data)!, problems);
        return (rows, _catalog.Load(parse, context), software);
    }

    /// <summary>As <see cref="Load"/>, keeping the good rows and the problems of the bad ones.</summary>
    /// <exception cref="InvalidInputException">Unreadable file, missing column, bad catalog, unknown engine.</exception>
    public (MeasurementFile File, Catalog.Catalog Catalog, ServingSoftware Software) LoadLenient(ParseResult parse, CliContext context)
    {
        var software = ServingSoftware.Named(parse.GetValue(Software), "engine");
        var path = parse.GetValue(Data)!;
        var file = MeasurementCsv.Read(context.ReadText(path, "--data"), path);
        return (file, _catalog.Load(parse, context), software);
    }
}
