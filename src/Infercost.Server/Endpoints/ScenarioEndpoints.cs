using System.Text.Json;
using Infercost.EndpointMeasurement;
using Infercost.Serialization;
using Infercost.Serving;
using Infercost.Server.Http;
using Infercost.Server.Scenarios;

namespace Infercost.Server.Endpoints;

// A scenario is saved with the inputs as the request record the core validated (defaults filled in), the result the
// engine computed and the engine's version; re-running answers the stored inputs again with the current engine.

/// <summary><c>/api/scenarios</c>: create, list, get, re-run, compare and delete saved scenarios.</summary>
internal static class ScenarioEndpoints
{
    private const int MaxName = 200;
    private const int MaxList = 10_000;

    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/scenarios").WithTags("Scenarios");
        api.MapPost("", Create).WithSummary("Answer a question and save it as a named scenario")
            .Accepts<NewScenario>("application/json").Produces<Scenario>(StatusCodes.Status201Created).ProducesValidationProblem();
        api.MapGet("", List).WithSummary("Saved scenarios, newest first (without inputs and results)").Produces<IReadOnlyList<ScenarioSummary>>();
        api.MapGet("/{id}", Get).WithSummary("One scenario with its inputs and result").Produces<Scenario>().ProducesProblem(404);
        api.MapPost("/{id}/rerun", Rerun).WithSummary("Answer the stored inputs again with this engine; returns what changed")
            .Produces<ScenarioComparison>().ProducesProblem(404);
        api.MapGet("/compare", Compare).WithSummary("The inputs and results that differ between two scenarios")
            .Produces<ScenarioComparison>().ProducesProblem(404);
        app.MapPost("/api/measurements", SaveMeasurement).WithTags("Scenarios")
            .WithSummary("Keep a measurement of a live endpoint (what infercost measure --json prints) as a scenario of question 'measure'")
            .Accepts<NewMeasurement>("application/json").Produces<Scenario>(StatusCodes.Status201Created).ProducesValidationProblem();
        api.MapDelete("/{id}", Delete).WithSummary("Delete a scenario").Produces(StatusCodes.Status204NoContent).ProducesProblem(404);
    }

    private static async Task<IResult> Create(HttpContext http, IScenarioStore store, CancellationToken cancellation)
    {
        var (body, problem) = await RequestBody.ReadAsync<NewScenario>(http).ConfigureAwait(false);
        if (problem is not null) return problem;
        var name = body!.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxName) return Problems.Invalid("name", $"name must be 1 to {MaxName} characters; was {name.Length}.");
        if (body.Question is null || !Questions.All.TryGetValue(body.Question, out var question))
        {
            return Problems.Invalid("question", $"question must be one of {string.Join(", ", Questions.All.Keys)}; was '{body.Question}'.");
        }

        var (inputs, result, invalid) = Answer(question, body.Inputs);
        if (invalid is not null) return invalid;
        var now = DateTimeOffset.UtcNow;
        var scenario = new Scenario(Guid.NewGuid().ToString("n"), name, question.Name, inputs, result, EngineVersion.Current, now, now);
        await store.AddAsync(scenario, cancellation).ConfigureAwait(false);
        return Results.Text(JsonSerializer.Serialize(scenario, InfercostJson.Options), "application/json", statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The question name of a saved measurement. The server stores it as it came: it never sends load itself.</summary>
    public const string MeasureQuestion = "measure";

    private static async Task<IResult> SaveMeasurement(HttpContext http, IScenarioStore store, CancellationToken cancellation)
    {
        var (body, problem) = await RequestBody.ReadAsync<NewMeasurement>(http).ConfigureAwait(false);
        if (problem is not null) return problem;
        NewMeasurement measurement;
        try
        {
            measurement = body!.Validated();
        }
        catch (InvalidInputException e)
        {
            return Problems.Invalid(e);
        }

        var report = measurement.Report!;
        var inputs = JsonSerializer.SerializeToElement(new
        {
            report.Endpoint, report.Model, report.Api, report.Stream, report.Tokenizer, report.Deployment,
            Levels = report.Levels.Select(l => l.Level).ToArray(),
        }, InfercostJson.Options);
        var now = DateTimeOffset.UtcNow;
        var scenario = new Scenario(Guid.NewGuid().ToString("n"), measurement.Name!, MeasureQuestion, inputs,
            JsonSerializer.SerializeToElement(report, InfercostJson.Options), EngineVersion.Current, now, now);
        await store.AddAsync(scenario, cancellation).ConfigureAwait(false);
        return Results.Text(JsonSerializer.Serialize(scenario, InfercostJson.Options), "application/json", statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> List(IScenarioStore store, int? limit, int? offset, CancellationToken cancellation)
    {
        if (limit is < 1 or > MaxList) return Problems.Invalid("limit", $"limit must be in [1, {MaxList}]; was {limit}.");
        if (offset is < 0) return Problems.Invalid("offset", $"offset must be >= 0; was {offset}.");
        var list = await store.ListAsync(limit ?? 100, offset ?? 0, cancellation).ConfigureAwait(false);
        return Results.Text(JsonSerializer.Serialize(list, InfercostJson.Options), "application/json");
    }

    private static async Task<IResult> Get(string id, IScenarioStore store, CancellationToken cancellation) =>
        await store.GetAsync(id, cancellation).ConfigureAwait(false) is { } scenario
            ? Results.Text(JsonSerializer.Serialize(scenario, InfercostJson.Options), "application/json")
            : NotFound(id);

    private static async Task<IResult> Rerun(string id, IScenarioStore store, CancellationToken cancellation)
    {
        if (await store.GetAsync(id, cancellation).ConfigureAwait(false) is not { } old) return NotFound(id);
        if (old.Question == MeasureQuestion)
        {
            return Problems.Invalid("question", $"scenario {id} holds a measurement of a live endpoint (question '{MeasureQuestion}'); the server does not " +
                "send load to endpoints, so it cannot re-run it: run infercost measure again with --save.");
        }

        if (!Questions.All.TryGetValue(old.Question, out var question)) return Problems.Invalid("question", $"scenario {id} asks '{old.Question}', which this server does not answer.");
        var (_, result, invalid) = Answer(question, old.Inputs);
        if (invalid is not null) return invalid;
        var now = DateTimeOffset.UtcNow;
        await store.UpdateResultAsync(id, result.GetRawText(), EngineVersion.Current, now, cancellation).ConfigureAwait(false);
        var updated = old with { Result = result, EngineVersion = EngineVersion.Current, UpdatedAt = now };
        return Results.Text(JsonSerializer.Serialize(ScenarioDiff.Compare(old, updated), InfercostJson.Options), "application/json");
    }

    private static async Task<IResult> Compare(string? a, string? b, IScenarioStore store, CancellationToken cancellation)
    {
        if (string.IsNullOrEmpty(a)) return Problems.Invalid("a", "a is required: the id of the first scenario.");
        if (string.IsNullOrEmpty(b)) return Problems.Invalid("b", "b is required: the id of the second scenario.");
        if (await store.GetAsync(a, cancellation).ConfigureAwait(false) is not { } first) return NotFound(a);
        if (await store.GetAsync(b, cancellation).ConfigureAwait(false) is not { } second) return NotFound(b);
        return Results.Text(JsonSerializer.Serialize(ScenarioDiff.Compare(first, second), InfercostJson.Options), "application/json");
    }

    private static async Task<IResult> Delete(string id, IScenarioStore store, CancellationToken cancellation) =>
        await store.DeleteAsync(id, cancellation).ConfigureAwait(false) ? Results.NoContent() : NotFound(id);

    private static IResult NotFound(string id) => Problems.Status(StatusCodes.Status404NotFound, "No such scenario", $"no scenario has id '{id}'.");

    // The inputs as the request record (validated, defaults filled in) and the result, both as JSON; or the 400.
    private static (JsonElement Inputs, JsonElement Result, IResult? Problem) Answer(Question question, JsonElement inputs)
    {
        object request;
        try
        {
            request = inputs.Deserialize(question.RequestType, RequestBody.Options)
                ?? throw new JsonException("inputs must be a JSON object.");
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path ? "inputs." + path[2..] : "inputs";
            return (default, default, Problems.Invalid(field, $"{field}: {e.Message.Split(". Path")[0]}"));
        }

        try
        {
            var result = question.Answer(request, null, CancellationToken.None);
            return (JsonSerializer.SerializeToElement(request, question.RequestType, InfercostJson.Options),
                JsonSerializer.SerializeToElement(result, result.GetType(), InfercostJson.Options), null);
        }
        catch (InvalidInputException e)
        {
            return (default, default, Problems.Invalid(e));
        }
        catch (ModelDoesNotFitException e)
        {
            return (default, default, Problems.Invalid("gpus", e.Message));
        }
    }
}
