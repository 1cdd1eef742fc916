using System.Text.Json;
using Infercost.Requests;
using Infercost.Serialization;
using Infercost.Serving;
using Infercost.Server.Http;

namespace Infercost.Server.Endpoints;

// One endpoint per question whose request record exists in the core. Each reads the record from the body, lets the
// core validate and answer it (no calculation or validation here), and returns the same result record the CLI prints
// with --json, serialised with the same options.

/// <summary>The question endpoints: <c>POST /api/cost</c>, <c>/api/fit</c>, <c>/api/sweep</c>, <c>/api/check</c>,
/// <c>GET /api/catalog</c>, <c>/api/catalog/{id}</c>.</summary>
internal static class QuestionEndpoints
{
    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Questions");
        var catalog = Catalog.Catalog.Embedded;

        api.MapPost("/cost", (HttpContext http, CancellationToken _) => Answer<CostRequest>(http, r => r.Answer(catalog)))
            .WithSummary("Throughput, latency and $/MTok in and out, with P10-P90 bands (infercost cost)")
            .Accepts<CostRequest>("application/json").Produces<CostReport>().ProducesValidationProblem();
        api.MapPost("/fit", (HttpContext http, CancellationToken _) => Answer<FitRequest>(http, r => r.Answer(catalog)))
            .WithSummary("Does the model fit, on which layout, how many sequences at a context (infercost fit)")
            .Accepts<FitRequest>("application/json").Produces<FitReport>().ProducesValidationProblem();
        api.MapPost("/sweep", (HttpContext http, CancellationToken _) => Answer<SweepRequest>(http, r => r.Answer(catalog)))
            .WithSummary("Decode speed and $/MTok output across batch sizes (infercost sweep)")
            .Accepts<SweepRequest>("application/json").Produces<SweepReport>().ProducesValidationProblem();
        api.MapPost("/check", (HttpContext http, CancellationToken _) => Answer<CheckRequest>(http, r => r.Answer(catalog)))
            .WithSummary("Is a claimed throughput or price physically possible (infercost check)")
            .Accepts<CheckRequest>("application/json").Produces<CheckReport>().ProducesValidationProblem();
        api.MapGet("/catalog", (string? kind) => Json(() => new CatalogListRequest(kind).Answer(catalog)))
            .WithSummary("The models and accelerators the estimates know (infercost catalog list)")
            .Produces<CatalogListReport>().ProducesValidationProblem();
        api.MapGet("/catalog/{id}", (string id) => Json(() => new CatalogShowRequest(id).Answer(catalog)))
            .WithSummary("Every field of one model or accelerator (infercost catalog show)")
            .ProducesValidationProblem();
    }

    /// <summary>Reads <typeparamref name="T"/> from the body and answers it, or the problem with it.</summary>
    public static async Task<IResult> Answer<T>(HttpContext http, Func<T, object> answer) where T : class
    {
        var (request, problem) = await RequestBody.ReadAsync<T>(http).ConfigureAwait(false);
        return problem ?? Json(() => answer(request!));
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
}
