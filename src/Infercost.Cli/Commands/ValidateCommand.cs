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
            // The file is streamed: each row is parsed and predicted as it is read, never the whole text or all its fields at once.
            var problems = new List<RowProblem>();
            ValidationReport report;
            using (var reader = context.OpenText(parse.GetValue(inputs.Data)!, "--data"))
            {
                var (rows, catalog, software) = inputs.Stream(parse, context, reader, problems);
                report = Validator.Validate(rows, catalog, EfficiencyFactors.Default, software);
            }

            var file = new MeasurementFile([], problems);
            if (report.Rows.Count == 0)
            {
                throw new InvalidInputException("--data", problems.Count == 0
                    ? $"--data {parse.GetValue(inputs.Data)} has a header and no rows; nothing to validate."
                    : $"--data {parse.GetValue(inputs.Data)}: no row could be read ({file.RejectedRows} rejected; first: {problems[0].Message}).");
            }

            if (CommonOptions.IsJson(parse, inputs.Json))
            {
                context.WriteJson(ValidationJson.Of(report, file.Problems));
                return ExitCodes.Ok;
            }

            var console = context.Console;
            if (file.Problems.Count > 0)
            {
                var rejected = KeyValueTable.Grid($"Rows not read ({Number(file.RejectedRows)})", "line", "field", "problem");
                foreach (var problem in file.Problems) rejected.AddTextRow(Number(problem.Line), problem.Field, problem.Message);
                console.Write(rejected);
            }

            var table = KeyValueTable.Grid("Predicted vs measured (output tokens/s per instance)",
                "id", "model", "accelerator", "layout", "prec.", "in/out", "measured", "predicted", "P10-P90", "error");
            foreach (var p in report.Rows)
            {
                var r = p.Row;
                table.AddTextRow(r.Id, r.ModelId, r.AcceleratorId, $"TP{r.TensorParallel} PP{r.PipelineParallel}",
                    r.WeightPrecision.Name(), $"{r.InputTokens}/{r.OutputTokens}", Number(r.MeasuredOutputTokensPerSecond),
                    p.PredictedOutputTokensPerSecond is { } v ? Number(v) : "-",
                    p.P10 is { } low && p.P90 is { } high ? $"{Number(low)} .. {Number(high)}" : "-",
                    p.SignedError is { } e ? SignedPercent(e) : p.Reason ?? "");
            }

            console.Write(table);
            console.Write(Summaries("Error by group", report));
            console.WriteLine($"Band coverage: {Pct(report.BandCoveragePct)} of predicted rows lie inside their P10-P90 (an honest band holds 80%).");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Error summaries overall and by model, accelerator and source.</summary>
    public static Table Summaries(string title, ValidationReport report)
    {
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
        report.Rows.Select(p => new ValidationRowJson(p.Row.Id, p.Row.Source, p.Row.ModelId, p.Row.AcceleratorId, p.Row.Gpus,
            p.Row.InputTokens, p.Row.OutputTokens, p.Row.MeasuredOutputTokensPerSecond, p.PredictedOutputTokensPerSecond,
            p.SignedError is { } e ? e * 100 : null, p.Reason, p.Row.Engine?.Name)
        {
            P10 = p.P10,
            P90 = p.P90,
            Extrapolating = p.Extrapolating.Select(x => x.Label).ToList(),
        }).ToList(),
        new ValidationSummaryJson(report.Overall.MedianAbsPctError, report.Overall.P90AbsPctError, report.Overall.MeanSignedPctError,
            report.Overall.Rows, report.Overall.PredictedRows, problems?.Select(p => p.Line).Distinct().Count() ?? 0, report.BandCoveragePct),
        report.ByModel, report.ByAccelerator, report.BySource)
    {
        RejectedRows = (problems ?? []).Select(p => new RejectedRowJson(p.Line, p.Field, p.Message)).ToList(),
    };

    /// <summary>Rows of the file that could not be read: one entry per bad field.</summary>
    public IReadOnlyList<RejectedRowJson> RejectedRows { get; init; } = [];
}

/// <summary>One bad field of a row that was not read.</summary>
internal sealed record RejectedRowJson(int Line, string Field, string Message);

/// <summary>One row of <see cref="ValidationJson"/>.</summary>
internal sealed record ValidationRowJson(string Id, string Source, string Model, string Accelerator, int Gpus, int InputTokens,
    int OutputTokens, double MeasuredOutputTokensPerSecond, double? PredictedOutputTokensPerSecond, double? SignedErrorPct, string? Reason,
    string? Engine)
{
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
    [property: System.Text.Json.Serialization.JsonPropertyName("band_coverage_pct")] double? BandCoveragePct = null);
