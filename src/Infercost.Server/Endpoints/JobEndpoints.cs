using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Infercost.Serialization;
using Infercost.Server.Http;
using Infercost.Server.Jobs;

namespace Infercost.Server.Endpoints;

/// <summary><c>/api/jobs</c>: long questions (simulate, frontier, sweep, subscription population) in the background,
/// with progress as server-sent events and cancellation.</summary>
internal static class JobEndpoints
{
    /// <summary>Shortest gap between two progress events of one stream: reports closer together are merged.</summary>
    private static readonly TimeSpan EventGap = TimeSpan.FromMilliseconds(50);

    // An event's data is one line of JSON (a multi-line value would be split over several data: fields).
    private static readonly JsonSerializerOptions EventJson = new(InfercostJson.Options) { WriteIndented = false };

    /// <summary>Maps the endpoints.</summary>
    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/jobs").WithTags("Jobs");
        foreach (var question in Questions.All.Values.Where(q => q.Long))
        {
            api.MapPost("/" + question.Name, (HttpContext http, JobStore jobs) => Start(http, jobs, question))
                .WithName("job-" + question.Name)
                .WithSummary($"Start {question.Name} as a job: 202 with the job; its events at /api/jobs/{{id}}/events")
                .Accepts(question.RequestType, "application/json").Produces<JobStatus>(StatusCodes.Status202Accepted)
                .ProducesValidationProblem().ProducesProblem(StatusCodes.Status429TooManyRequests);
        }

        api.MapGet("", (JobStore jobs) => Json(jobs.List().Select(j => j.Status() with { Result = null })))
            .WithSummary("The jobs kept, newest first (without results)").Produces<IReadOnlyList<JobStatus>>();
        api.MapGet("/{id}", (string id, JobStore jobs) => jobs.Get(id) is { } job ? Json(job.Status()) : NotFound(id))
            .WithSummary("A job's state, progress and, once succeeded, its result").Produces<JobStatus>().ProducesProblem(404);
        api.MapGet("/{id}/events", (string id, JobStore jobs, CancellationToken cancellation) =>
                jobs.Get(id) is { } job ? TypedResults.ServerSentEvents(Events(job, cancellation)) : NotFound(id))
            .WithSummary("Server-sent events: 'progress' ({\"progress\": 0..1}) as the job runs, then one of 'succeeded', 'failed' or 'cancelled' with the job")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(404);
        api.MapDelete("/{id}", (string id, JobStore jobs) =>
            {
                if (jobs.Get(id) is not { } job) return NotFound(id);
                job.Cancel();
                return Json(job.Status(), StatusCodes.Status202Accepted);
            })
            .WithSummary("Cancel a job; the simulator stops at its next step").Produces<JobStatus>(StatusCodes.Status202Accepted).ProducesProblem(404);
    }

    private static async Task<IResult> Start(HttpContext http, JobStore jobs, Question question)
    {
        var (request, problem) = await RequestBody.ReadAsync(http, question.RequestType).ConfigureAwait(false);
        if (problem is not null) return problem;
        if (QuestionEndpoints.Check(question, request!) is { } invalid) return invalid;
        if (jobs.Start(question, request!) is not { } job)
        {
            return Problems.Status(StatusCodes.Status429TooManyRequests, "Too many jobs", "the most jobs this server runs at once are running; wait for one to finish or cancel one.");
        }

        http.Response.Headers.Location = "/api/jobs/" + job.Id;
        return Json(job.Status(), StatusCodes.Status202Accepted);
    }

    private static async IAsyncEnumerable<SseItem<string>> Events(Job job, [EnumeratorCancellation] CancellationToken cancellation)
    {
        var last = double.NaN;
        while (true)
        {
            var changed = job.Changed;
            var status = job.Status();
            if (status.State != JobState.Running)
            {
                // A reader that arrives after a quick job has ended still sees where its progress ended before the result.
                if (double.IsNaN(last) && status.State == JobState.Succeeded)
                {
                    yield return new SseItem<string>(JsonSerializer.Serialize(new { progress = status.Progress }), "progress");
                }

                yield return new SseItem<string>(JsonSerializer.Serialize(status, EventJson), JsonNamingPolicyName(status.State));
                yield break;
            }

            if (status.Progress != last)
            {
                last = status.Progress;
                yield return new SseItem<string>(JsonSerializer.Serialize(new { progress = status.Progress }), "progress");
            }

            await changed.WaitAsync(cancellation).ConfigureAwait(false);
            await Task.Delay(EventGap, cancellation).ConfigureAwait(false);
        }
    }

    private static string JsonNamingPolicyName(JobState state) => state.ToString().ToLowerInvariant();

    private static IResult Json<T>(T value, int status = StatusCodes.Status200OK) =>
        Results.Text(JsonSerializer.Serialize(value, InfercostJson.Options), "application/json", statusCode: status);

    private static IResult NotFound(string id) => Problems.Status(StatusCodes.Status404NotFound, "No such job", $"no job has id '{id}' (finished jobs are kept {JobStore.KeepFinished.TotalMinutes} minutes).");
}
