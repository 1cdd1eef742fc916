using System.Collections.Concurrent;
using System.Text.Json;
using Infercost.Serialization;
using Infercost.Serving;
using Infercost.Server.Endpoints;
using Microsoft.Extensions.Options;

namespace Infercost.Server.Jobs;

// Jobs live in memory: a job is a few seconds to a couple of minutes of simulation, answered to the client that asked
// for it, not a record to keep (a scenario is). At most MaxConcurrentJobs run at once, each on its own thread (the
// simulator is CPU-bound and synchronous), each cancelled at JobTimeoutSeconds; finished jobs are kept for a while so
// a client that reconnects can still read the answer, and the oldest are dropped beyond MaxKept.

/// <summary>Starts, tracks, cancels and forgets the server's jobs.</summary>
internal sealed class JobStore(IOptions<ServerSettings> settings, TimeProvider time, ILogger<JobStore> log) : IDisposable
{
    /// <summary>Most jobs kept (running and finished).</summary>
    public const int MaxKept = 256;

    /// <summary>How long a finished job's answer stays readable.</summary>
    public static readonly TimeSpan KeepFinished = TimeSpan.FromMinutes(15);

    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private int _running;

    /// <summary>Starts <paramref name="question"/> on <paramref name="request"/> (already validated), or returns null when
    /// <see cref="ServerSettings.MaxConcurrentJobs"/> are already running.</summary>
    public Job? Start(Question question, object request)
    {
        if (Interlocked.Increment(ref _running) > settings.Value.MaxConcurrentJobs)
        {
            Interlocked.Decrement(ref _running);
            return null;
        }

        Prune();
        var job = new Job(Guid.NewGuid().ToString("n"), question, time.GetUtcNow(), TimeSpan.FromSeconds(settings.Value.JobTimeoutSeconds));
        _jobs[job.Id] = job;
        _ = Task.Factory.StartNew(() => Run(job, request), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return job;
    }

    /// <summary>The job with <paramref name="id"/>, or null.</summary>
    public Job? Get(string id) => _jobs.TryGetValue(id, out var job) ? job : null;

    /// <summary>Every job kept, newest first.</summary>
    public IReadOnlyList<Job> List() => [.. _jobs.Values.OrderByDescending(j => j.CreatedAt)];

    private void Run(Job job, object request)
    {
        try
        {
            var result = job.Question.Answer(request, job, job.Cancellation.Token);
            job.Succeed(JsonSerializer.SerializeToElement(result, result.GetType(), InfercostJson.Options), time.GetUtcNow());
        }
        catch (OperationCanceledException)
        {
            job.Cancelled(time.GetUtcNow());
        }
        catch (InvalidInputException e)
        {
            job.Fail(e.Message, e.Field, time.GetUtcNow());
        }
        catch (ModelDoesNotFitException e)
        {
            job.Fail(e.Message, "gpus", time.GetUtcNow());
        }
#pragma warning disable CA1031 // A job's thread must record every failure on the job, never die silently.
        catch (Exception e)
#pragma warning restore CA1031
        {
            log.LogError(e, "job {Id} ({Question}) failed", job.Id, job.Question.Name);
            job.Fail("unexpected error: " + e.Message.Split('\n')[0], null, time.GetUtcNow());
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private void Prune()
    {
        var now = time.GetUtcNow();
        var finished = _jobs.Values.Select(j => (Job: j, Status: j.Status())).Where(x => x.Status.FinishedAt is not null)
            .OrderBy(x => x.Status.FinishedAt).ToList();
        var excess = _jobs.Count - MaxKept + 1;
        foreach (var (job, status) in finished)
        {
            if (excess <= 0 && now - status.FinishedAt!.Value < KeepFinished) continue;
            if (_jobs.TryRemove(job.Id, out _)) job.Dispose();
            excess--;
        }
    }

    /// <summary>Cancels every running job (server shutdown).</summary>
    public void Dispose()
    {
        foreach (var job in _jobs.Values) job.Cancel();
    }
}
