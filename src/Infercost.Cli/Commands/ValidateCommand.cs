using System.CommandLine;
using Infercost.Calibration;
using Infercost.Cli.Inputs;
using Infercost.Cli.Rendering;
using Infercost.Serving;
using Spectre.Console;
using static Infercost.Cli.Rendering.Formats;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost validate</c>: predict measured runs and report the engine's error.</summary>
internal static class ValidateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var inputs = new MeasurementInputs();
        var command = new Command("validate",
            "Predict every measured run in a CSV (the schema of data/calibration/throughput-calibration.csv; extra columns " +
            "are ignored) with the calibrated engine, and print predicted vs measured output tokens/s, the signed error per " +
            "row, and median / P90 absolute and mean signed error overall, per model, per accelerator and per source. Rows " +
            "that cannot be predicted are listed with the reason; a malformed row is reported with its line and field and " +
            "skipped (the summary counts it), the rest are still predicted. An optional engine column names each row's " +
            "serving engine; --engine applies to rows that leave it empty." +
            "\n\nExample:\n  infercost validate --data data/calibration/throughput-calibration.csv" +
            "\n  infercost validate --data data/calibration/throughput-calibration.csv --software vllm --json");
        inputs.AddTo(command);
        command.SetAction(parse =>
        {
            // The file is streamed: each row is parsed, predicted and written out as it is read; of a row only its error
            // is kept (for the summaries' medians), never the whole text, its fields or its prediction.
            var problems = new List<RowProblem>();
            using var reader = context.OpenText(parse.GetValue(inputs.Data)!, "--data");
            var (rows, catalog, software) = inputs.Stream(parse, context, reader, problems);
            var format = CommonOptions.IsJson(parse, inputs.Json) ? OutputFormat.Json : CommonOptions.FormatOf(parse);
            var (summary, _) = format == OutputFormat.Json
                ? WriteJson(context, rows, catalog, software, problems, () => NoRows(parse, inputs, problems))
                : WriteTables(context, format, rows, catalog, software, problems, () => NoRows(parse, inputs, problems));
            if (format != OutputFormat.Json)
            {
                context.Console.Write(Summaries("Error by group", summary));
                context.Console.WriteLine($"Band coverage: {Pct(summary.BandCoveragePct)} of predicted rows lie inside their P10-P90 (an honest band holds 80%).");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static InvalidInputException NoRows(ParseResult parse, MeasurementInputs inputs, List<RowProblem> problems) =>
        new("--data", problems.Count == 0
            ? $"--data {parse.GetValue(inputs.Data)} has a header and no rows; nothing to validate."
            : $"--data {parse.GetValue(inputs.Data)}: no row could be read ({new MeasurementFile([], problems).RejectedRows} rejected; first: {problems[0].Message}).");

    // The JSON document is begun at the first row, so a file with no row writes nothing before its error.
    private static (ValidationSummary Summary, int Rows) WriteJson(CliContext context, IEnumerable<Measurement> rows, Catalog.Catalog catalog,
        ServingSoftware software, List<RowProblem> problems, Func<InvalidInputException> noRows)
    {
        using var json = new JsonStream(context.Out);
        var writer = json.Writer;
        var (summary, count) = Validator.Validate(rows, catalog, EfficiencyFactors.Default, software, p =>
        {
            if (writer.CurrentDepth == 0)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("rows");
            }

            json.Write(ValidationRowJson.Of(p));
            json.FlushIfFull();
        });
        if (count == 0) throw noRows();
        writer.WriteEndArray();
        writer.WritePropertyName("summary");
        json.Write(ValidationSummaryJson.Of(summary.Overall, problems, summary.BandCoveragePct));
        writer.WritePropertyName("byModel");
        json.Write(summary.ByModel);
        writer.WritePropertyName("byAccelerator");
        json.Write(summary.ByAccelerator);
        writer.WritePropertyName("bySource");
        json.Write(summary.BySource);
        writer.WritePropertyName("rejectedRows");
        json.Write(RejectedRowJson.Of(problems));
        writer.WriteEndObject();
        json.Complete();
        return (summary, count);
    }

    private const string RowsTitle = "Predicted vs measured (output tokens/s per instance)";

    private static readonly string[] RowsHeaders =
        ["id", "model", "accelerator", "layout", "prec.", "in/out", "measured", "predicted", "P10-P90", "error"];

    /// <summary>Rows held before the table is written out: a file of up to this many rows prints as one table after the
    /// rows not read; a longer one is written as it is read (one table per this many rows in table format, one CSV or
    /// Markdown table in those formats) and lists the rows not read after it.</summary>
    internal const int BlockRows = 1000;

    private static (ValidationSummary Summary, int Rows) WriteTables(CliContext context, OutputFormat format, IEnumerable<Measurement> rows,
        Catalog.Catalog catalog, ServingSoftware software, List<RowProblem> problems, Func<InvalidInputException> noRows)
    {
        var console = context.Console;
        var held = new List<string[]>(BlockRows);
        var written = 0;
        void WriteBlock()
        {
            switch (format)
            {
                case OutputFormat.Csv:
                    var csv = new System.Text.StringBuilder(written == 0 ? TableText.CsvRecord([TableText.CsvTitleHeader, .. RowsHeaders]) : "");
                    foreach (var cells in held) csv.Append(TableText.CsvRecord([RowsTitle, .. cells]));
                    context.Out.Write(csv.ToString());
                    break;
                case OutputFormat.Markdown:
                    var markdown = new System.Text.StringBuilder(written == 0 ? TableText.MarkdownHead(RowsTitle, RowsHeaders) : "");
                    foreach (var cells in held) markdown.Append(TableText.MarkdownRow(cells));
                    context.Out.Write(markdown.ToString());
                    break;
                default:
                    console.Write(RowsTable($"{RowsTitle}: rows {Number(written + 1)}-{Number(written + held.Count)}", held));
                    break;
            }

            written += held.Count;
            held.Clear();
        }

        var (summary, count) = Validator.Validate(rows, catalog, EfficiencyFactors.Default, software, p =>
        {
            if (held.Count == BlockRows) WriteBlock();
            held.Add(Cells(p));
        });
        if (count == 0) throw noRows();
        if (written == 0)
        {
            // Short enough to hold whole: the rows not read first, then one table.
            Rejected(console, problems);
            console.Write(RowsTable(RowsTitle, held));
            return (summary, count);
        }

        WriteBlock();
        if (format == OutputFormat.Csv) context.Out.Write(TableText.CsvTableEnd);
        if (format == OutputFormat.Markdown) context.Out.Write(TableText.MarkdownTableEnd);
        Rejected(console, problems);
        return (summary, count);
    }

    private static void Rejected(IAnsiConsole console, List<RowProblem> problems)
    {
        if (problems.Count == 0) return;
        var rejected = KeyValueTable.Grid($"Rows not read ({Number(new MeasurementFile([], problems).RejectedRows)})", "line", "field", "problem");
        foreach (var problem in problems) rejected.AddTextRow(Number(problem.Line), problem.Field, problem.Message);
        console.Write(rejected);
    }

    private static Table RowsTable(string title, List<string[]> rows)
    {
        var table = KeyValueTable.Grid(title, RowsHeaders);
        foreach (var cells in rows) table.AddTextRow(cells);
        return table;
    }

    private static string[] Cells(Prediction p)
    {
        var r = p.Row;
        return [r.Id, r.ModelId, r.AcceleratorId, $"TP{r.TensorParallel} PP{r.PipelineParallel}",
            r.WeightPrecision.Name(), $"{r.InputTokens}/{r.OutputTokens}", Number(r.MeasuredOutputTokensPerSecond),
            p.PredictedOutputTokensPerSecond is { } v ? Number(v) : "-",
            p.P10 is { } low && p.P90 is { } high ? $"{Number(low)} .. {Number(high)}" : "-",
            p.SignedError is { } e ? SignedPercent(e) : p.Reason ?? ""];
    }

    /// <summary>Error summaries overall and by model, accelerator and source.</summary>
    public static Table Summaries(string title, ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Summaries(title, new ValidationSummary(report.Overall, report.ByModel, report.ByAccelerator, report.BySource, report.BandCoveragePct));
    }

    /// <summary>Error summaries overall and by model, accelerator and source.</summary>
    public static Table Summaries(string title, ValidationSummary report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var table = KeyValueTable.Grid(title, "group", "rows", "predicted", "median |error|", "P90 |error|", "mean signed");
        void Add(string kind, ErrorSummary s) => table.AddTextRow(kind == "" ? s.Group : $"{kind}: {s.Group}", Number(s.Rows),
            Number(s.PredictedRows), Pct(s.MedianAbsPctError), Pct(s.P90AbsPctError), Pct(s.MeanSignedPctError, signed: true));
        Add("", report.Overall);
        foreach (var s in report.ByModel) Add("model", s);
        foreach (var s in report.ByAccelerator) Add("accelerator", s);
        foreach (var s in report.BySource) Add("source", s);
        return table;
    }

    private static string SignedPercent(double fraction) => (fraction >= 0 ? "+" : "") + Percent(fraction);

    internal static string Pct(double? percent, bool signed = false) =>
        percent is not { } v ? "-" : (signed && v >= 0 ? "+" : "") + v.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + "%";
}

/// <summary>The JSON shape of a validation: every row and a summary object.</summary>
internal sealed record ValidationJson(
    IReadOnlyList<ValidationRowJson> Rows,
    ValidationSummaryJson Summary,
    IReadOnlyList<ErrorSummary> ByModel,
    IReadOnlyList<ErrorSummary> ByAccelerator,
    IReadOnlyList<ErrorSummary> BySource)
{
    public static ValidationJson Of(ValidationReport report, IReadOnlyList<RowProblem>? problems = null) => new(
        report.Rows.Select(ValidationRowJson.Of).ToList(),
        ValidationSummaryJson.Of(report.Overall, problems ?? [], report.BandCoveragePct),
        report.ByModel, report.ByAccelerator, report.BySource)
    {
        RejectedRows = RejectedRowJson.Of(problems ?? []),
    };

    /// <summary>Rows of the file that could not be read: one entry per bad field.</summary>
    public IReadOnlyList<RejectedRowJson> RejectedRows { get; init; } = [];
}

/// <summary>One bad field of a row that was not read.</summary>
internal sealed record RejectedRowJson(int Line, string Field, string Message)
{
    /// <summary>One entry per problem, in file order.</summary>
    public static List<RejectedRowJson> Of(IReadOnlyList<RowProblem> problems) => problems.Select(p => new RejectedRowJson(p.Line, p.Field, p.Message)).ToList();
}

/// <summary>One row of <see cref="ValidationJson"/>.</summary>
internal sealed record ValidationRowJson(string Id, string Source, string Model, string Accelerator, int Gpus, int InputTokens,
    int OutputTokens, double MeasuredOutputTokensPerSecond, double? PredictedOutputTokensPerSecond, double? SignedErrorPct, string? Reason,
    string? Engine)
{
    /// <summary>The row of <paramref name="p"/>.</summary>
    public static ValidationRowJson Of(Prediction p) => new(p.Row.Id, p.Row.Source, p.Row.ModelId, p.Row.AcceleratorId, p.Row.Gpus,
        p.Row.InputTokens, p.Row.OutputTokens, p.Row.MeasuredOutputTokensPerSecond, p.PredictedOutputTokensPerSecond,
        p.SignedError is { } e ? e * 100 : null, p.Reason, p.Row.Engine?.Name)
    {
        P10 = p.P10,
        P90 = p.P90,
        Extrapolating = p.Extrapolating.Select(x => x.Label).ToList(),
    };

    /// <summary>P10 of the predicted output tokens/s.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("p10")]
    public double? P10 { get; init; }

    /// <summary>P90 of the predicted output tokens/s.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("p90")]
    public double? P90 { get; init; }

    /// <summary>Where the prediction lies outside calibration coverage.</summary>
    public IReadOnlyList<string> Extrapolating { get; init; } = [];
}

/// <summary>The summary object: errors in percent.</summary>
internal sealed record ValidationSummaryJson(
    [property: System.Text.Json.Serialization.JsonPropertyName("median_abs_pct_error")] double? MedianAbsPctError,
    [property: System.Text.Json.Serialization.JsonPropertyName("p90_abs_pct_error")] double? P90AbsPctError,
    [property: System.Text.Json.Serialization.JsonPropertyName("mean_signed_pct_error")] double? MeanSignedPctError,
    [property: System.Text.Json.Serialization.JsonPropertyName("rows")] int Rows,
    [property: System.Text.Json.Serialization.JsonPropertyName("predicted_rows")] int PredictedRows,
    [property: System.Text.Json.Serialization.JsonPropertyName("rejected_rows")] int RejectedRows,
    [property: System.Text.Json.Serialization.JsonPropertyName("band_coverage_pct")] double? BandCoveragePct = null)
{
    /// <summary>The summary of <paramref name="overall"/>; the rejected rows count the distinct lines of <paramref name="problems"/>.</summary>
    public static ValidationSummaryJson Of(ErrorSummary overall, IReadOnlyList<RowProblem> problems, double? bandCoveragePct) =>
        new(overall.MedianAbsPctError, overall.P90AbsPctError, overall.MeanSignedPctError, overall.Rows, overall.PredictedRows,
            problems.Select(p => p.Line).Distinct().Count(), bandCoveragePct);
}
