using System.Text.Json;
using Infercost.Server.Endpoints;

namespace Infercost.Server.Jobs;

/// <summary>Where a job is in its life.</summary>
internal enum JobState
{
    /// <summary>Accepted, running on a worker thread.</summary>
    Running,

    /// <summary>Finished with a result.</summary>
    Succeeded,

    /// <summary>Stopped by the core with an invalid-input problem (for example the simulation budget), or an unexpected error.</summary>
    Failed,

    /// <summary>Cancelled by DELETE, or by the job time limit.</summary>
    Cancelled,
}

/// <summary>What <c>GET /api/jobs/{id}</c> answers.</summary>
/// <param name="Id">The job id.</param>
/// <param name="Question">The question it answers (the CLI command).</param>
/// <param name="State">running, succeeded, failed or cancelled.</param>
/// <param name="Progress">Fraction done, 0 to 1, as the core reports it.</param>
/// <param name="CreatedAt">When it was accepted.</param>
/// <param name="FinishedAt">When it stopped; null while running.</param>
/// <param name="Result">The answer (the CLI's --json record) once succeeded; null otherwise.</param>
/// <param name="Error">Why it failed or was cancelled; null otherwise.</param>
/// <param name="Field">With an invalid-input failure, the request field at fault.</param>
internal sealed record JobStatus(string Id, string Question, JobState State, double Progress, DateTimeOffset CreatedAt,
    DateTimeOffset? FinishedAt, JsonElement? Result, string? Error, string? Field);

/// <summary>One long question running in the background: its progress, its cancellation and, when done, its answer.
/// Readers wait on <see cref="Changed"/>, which completes (and is replaced) at every progress report and at the end.</summary>
internal sealed class Job : IProgress<double>, IDisposable
{
    private readonly object _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private double _progress;
    private JobState _state = JobState.Running;
    private JsonElement? _result;
    private string? _error, _field;
    private DateTimeOffset? _finishedAt;
    private bool _cancelRequested;

    public Job(string id, Question question, DateTimeOffset createdAt, TimeSpan timeLimit)
    {
        Id = id;
        Question = question;
        CreatedAt = createdAt;
        Cancellation = new CancellationTokenSource(timeLimit);
    }

    public string Id { get; }

    public Question Question { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>Cancelled by DELETE or when the time limit passes; reaches the core's loop.</summary>
    public CancellationTokenSource Cancellation { get; }

    /// <summary>Completes at the next change of progress or state.</summary>
    public Task Changed
    {
        get
        {
            lock (_gate) return _changed.Task;
        }
    }

    /// <summary>True once the job has stopped.</summary>
    public bool Finished
    {
        get
        {
            lock (_gate) return _state != JobState.Running;
        }
    }

    /// <summary>The job as <c>GET /api/jobs/{id}</c> shows it.</summary>
    public JobStatus Status()
    {
        lock (_gate) return new JobStatus(Id, Question.Name, _state, _progress, CreatedAt, _finishedAt, _result, _error, _field);
    }

    /// <inheritdoc />
    public void Report(double value)
    {
        lock (_gate)
        {
            if (_state != JobState.Running || !(value > _progress)) return;
            _progress = Math.Min(1, value);
        }

        Signal();
    }

    /// <summary>Asks the core to stop; the job becomes cancelled when its loop notices.</summary>
    public void Cancel()
    {
        lock (_gate)
        {
            if (_state != JobState.Running) return;
            _cancelRequested = true;
        }

        Cancellation.Cancel();
    }

    public void Succeed(JsonElement result, DateTimeOffset at) => Finish(JobState.Succeeded, at, result, null, null, 1);

    public void Fail(string error, string? field, DateTimeOffset at) => Finish(JobState.Failed, at, null, error, field, null);

    public void Cancelled(DateTimeOffset at) => Finish(JobState.Cancelled, at, null,
        _cancelRequested ? "cancelled by DELETE /api/jobs/" + Id : "stopped at the job time limit", null, null);

    private void Finish(JobState state, DateTimeOffset at, JsonElement? result, string? error, string? field, double? progress)
    {
        lock (_gate)
        {
            if (_state != JobState.Running) return;
            _state = state;
            _finishedAt = at;
            _result = result;
            _error = error;
            _field = field;
            if (progress is { } p) _progress = p;
        }

        Signal();
    }

    private void Signal()
    {
        TaskCompletionSource old;
        lock (_gate)
        {
            old = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        old.TrySetResult();
    }

    public void Dispose() => Cancellation.Dispose();
}
