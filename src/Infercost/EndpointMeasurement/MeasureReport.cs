namespace Infercost.EndpointMeasurement;

/// <summary>The <c>measure</c> JSON document (also written by <c>--out</c>).</summary>
/// <param name="Endpoint">The API base measured.</param>
/// <param name="Model">The model name sent.</param>
/// <param name="Api">chat or completions.</param>
/// <param name="Stream">Streaming or not.</param>
/// <param name="Tokenizer">The tokenizer used where the server sent no usage, and to build prompts.</param>
/// <param name="Levels">One summary per load level.</param>
public sealed record MeasureReport(string Endpoint, string Model, string Api, bool Stream, string Tokenizer, IReadOnlyList<MeasurementSummary> Levels)
{
    /// <summary>With --gpu: the devices behind the endpoint, as Infercost models them.</summary>
    public string? Deployment { get; init; }

    /// <summary>With --gpu: per level, $/MTok at the measured rate and the gap to Infercost's simulation of the same setup
    /// and load (null for a level that cannot be compared).</summary>
    public IReadOnlyList<DeploymentGap?>? Gaps { get; init; }

    /// <summary>With --warmup: the requests sent before the first level, left out of every figure; null without.</summary>
    public WarmupSummary? Warmup { get; init; }
}

/// <summary>The warm-up requests sent before the measured levels (their times are in no figure of the report).</summary>
/// <param name="Requests">Warm-up requests sent.</param>
/// <param name="Succeeded">How many of them succeeded.</param>
/// <param name="Concurrency">How many were in flight at once.</param>
/// <param name="Duration">Seconds from the first warm-up send to the last answer.</param>
public sealed record WarmupSummary(int Requests, int Succeeded, int Concurrency, double Duration);

/// <summary>A measurement sent to the server to be kept as a scenario (<c>POST /api/measurements</c>).</summary>
/// <param name="Name">The scenario's name, 1–200 characters.</param>
/// <param name="Report">The <c>measure</c> report, as <c>measure --json</c> prints it.</param>
public sealed record NewMeasurement(string? Name, MeasureReport? Report)
{
    /// <summary>The most levels one saved measurement may hold (a sweep longer than this is split by the user).</summary>
    public const int MaxLevels = 1_000;

    /// <summary>The most characters of a scenario name.</summary>
    public const int MaxName = 200;

    /// <summary>This measurement, checked: a name, a report with an endpoint, a model and 1 to <see cref="MaxLevels"/>
    /// levels whose counts and times are non-negative.</summary>
    /// <exception cref="InvalidInputException">A field is missing or out of range; the message names it.</exception>
    public NewMeasurement Validated()
    {
        var name = Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxName) throw new InvalidInputException("name", $"name must be 1 to {MaxName} characters; was {name.Length}.");
        if (Report is not { } report) throw new InvalidInputException("report", "report is required: the JSON that infercost measure --json prints.");
        if (string.IsNullOrWhiteSpace(report.Endpoint)) throw new InvalidInputException("report.endpoint", "report.endpoint is required.");
        if (string.IsNullOrWhiteSpace(report.Model)) throw new InvalidInputException("report.model", "report.model is required.");
        if (report.Levels is not { Count: > 0 and <= MaxLevels } levels)
        {
            throw new InvalidInputException("report.levels", $"report.levels must hold 1 to {MaxLevels} levels; was {report.Levels?.Count ?? 0}.");
        }

        for (var i = 0; i < levels.Count; i++)
        {
            var level = levels[i] ?? throw new InvalidInputException($"report.levels[{i}]", $"report.levels[{i}] is null.");
            if (level.Requests < 0 || level.Succeeded < 0 || level.Succeeded > level.Requests)
            {
                throw new InvalidInputException($"report.levels[{i}].succeeded", $"report.levels[{i}]: succeeded must be in [0, requests = {level.Requests}]; was {level.Succeeded}.");
            }

            if (!(level.Duration >= 0) || double.IsInfinity(level.Duration))
            {
                throw new InvalidInputException($"report.levels[{i}].duration", $"report.levels[{i}].duration must be a finite number of seconds >= 0; was {level.Duration}.");
            }
        }

        return this with { Name = name };
    }
}
