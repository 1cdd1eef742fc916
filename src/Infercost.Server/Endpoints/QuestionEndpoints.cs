using System.Text.Json;
using Infercost.Requests;
using Infercost.Serialization;
using Infercost.Serving;
using Infercost.Server.Http;
using Microsoft.Extensions.Options;

namespace Infercost.Server.Endpoints;

// One endpoint per question whose request record exists in the core (Questions.All). Each reads the record from the
// body, lets the core validate and answer it (no calculation or validation here), and returns the same result record
// the CLI prints with --json, serialised with the same options. A synchronous answer is bounded like a job: it stops
// when the client goes away or at the job time limit.

/// <summary>The question endpoints: <c>POST /api/{question}</c> for every question, <c>GET /api/catalog</c>,
/// <c>/api/catalog/{id}</c>.</summary>
internal static class QuestionEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Questions");
        var catalog = Catalog.Catalog.Embedded;

        foreach (var question in Questions.All.Values)
        {
            api.MapPost("/" + question.Name, (HttpContext http, IOptions<ServerSettings> settings) => Answer(http, question, settings.Value))
                .WithName(question.Name).WithSummary(question.Summary)
                .Accepts(question.RequestType, "application/json").Produces(StatusCodes.Status200OK, question.ResultType).ProducesValidationProblem();
        }

        api.MapGet("/catalog", (string? kind) => Json(() => new CatalogListRequest(kind).Answer(catalog)))
            .WithSummary("The models and accelerators the estimates know (infercost catalog list)")
            .Produces<CatalogListReport>().ProducesValidationProblem();
        api.MapGet("/catalog/{id}", (string id) => Json(() => new CatalogShowRequest(id).Answer(catalog)))
            .WithSummary("Every field of one model or accelerator (infercost catalog show)")
            .ProducesValidationProblem();
    }

    /// <summary>Reads the question's request from the body and answers it, or the problem with it.</summary>
    private static async Task<IResult> Answer(HttpContext http, Question question, ServerSettings settings)
    {
        var (request, problem) = await RequestBody.ReadAsync(http, question.RequestType).ConfigureAwait(false);
        if (problem is not null) return problem;
        if (question.Immediate is { } immediate && Check(request!, immediate) is { } refused) return refused;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        limit.CancelAfter(TimeSpan.FromSeconds(settings.JobTimeoutSeconds));
        try
        {
            return Json(() => question.Answer(request!, null, limit.Token));
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Stopped",
                $"the answer took longer than {settings.JobTimeoutSeconds} s (or the client went away); run it as a job: POST /api/jobs/{question.Name}.");
        }
    }

    /// <summary>The result record as the CLI's --json prints it, or 400 naming the field.</summary>
    public static IResult Json(Func<object> answer)
    {
        try
        {
            return Results.Text(JsonSerializer.Serialize(answer(), InfercostJson.Options), "application/json");
        }
        catch (InvalidInputException e)
        {
            return Problems.Invalid(e);
        }
        catch (ModelDoesNotFitException e)
        {
            return Problems.Invalid("gpus", e.Message);
        }
    }

    /// <summary>Validates <paramref name="request"/> for <paramref name="question"/> without answering it: null, or the 400.</summary>
    public static IResult? Check(Question question, object request)
    {
        ArgumentNullException.ThrowIfNull(question);
        return Check(request, question.Check);
    }

    private static IResult? Check(object request, Action<object> check)
    {
        try
        {
            check(request);
            return null;
        }
        catch (InvalidInputException e)
        {
            return Problems.Invalid(e);
        }
        catch (ModelDoesNotFitException e)
        {
            return Problems.Invalid("gpus", e.Message);
        }
    }
}
