using System.Diagnostics;
using Infercost.EndpointMeasurement;
using Infercost.Simulation;

namespace Infercost.Cli.LoadGeneration;

/// <summary>How requests are offered at one level of a measurement.</summary>
internal abstract record LoadLevel(string Description);

/// <summary>Closed loop: this many users, each sending its next request when the previous one ends.</summary>
internal sealed record ConcurrencyLevel(int Users) : LoadLevel($"concurrency {Users}");

/// <summary>Open loop at a rate, with exponential (Poisson) or equal gaps.</summary>
internal sealed record RateLevel(double Rate, bool Poisson) : LoadLevel($"{(Poisson ? "Poisson" : "constant")} {Guard.Format(Rate)} req/s");

/// <summary>Open loop at the times a trace gives (seconds from the start).</summary>
internal sealed record TraceTimesLevel(IReadOnlyList<double> Times, string Name) : LoadLevel(Name);

/// <summary>Runs one level: sends every shape as the level says and collects the outcomes.</summary>
internal static class LoadGenerator
{
    public static async Task<(RequestOutcome[] Outcomes, double Duration)> RunAsync(EndpointClient client, LoadLevel level, int index,
        IReadOnlyList<RequestShape> shapes, long seed, Action? completed, CancellationToken ct)
    {
        var outcomes = new RequestOutcome[shapes.Count];
        var started = Stopwatch.GetTimestamp();
        double Now() => (Stopwatch.GetTimestamp() - started) / (double)Stopwatch.Frequency;

        async Task Send(int i)
        {
            outcomes[i] = await client.SendAsync(i, index, Now(), shapes[i], ct).ConfigureAwait(false);
            completed?.Invoke();
        }

        switch (level)
        {
            case ConcurrencyLevel c:
                var next = -1;
                async Task User()
                {
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < shapes.Count) await Send(i).ConfigureAwait(false);
                }

                await Task.WhenAll(Enumerable.Range(0, Math.Min(c.Users, shapes.Count)).Select(_ => Task.Run(User, ct))).ConfigureAwait(false);
                break;
            default:
                var random = new Pcg32(seed);
                var at = 0.0;
                var tasks = new List<Task>(shapes.Count);
                for (var i = 0; i < shapes.Count; i++)
                {
                    at = level switch
                    {
                        RateLevel { Poisson: true } r => at + random.NextExponential() / r.Rate,
                        RateLevel r => i / r.Rate,
                        TraceTimesLevel t => t.Times[i],
                        _ => throw new InvalidOperationException("unknown level"),
                    };
                    var wait = at - Now();
                    if (wait > 0) await Task.Delay(TimeSpan.FromSeconds(wait), ct).ConfigureAwait(false);
                    var request = i;
                    tasks.Add(Task.Run(() => Send(request), ct));
                }

                await Task.WhenAll(tasks).ConfigureAwait(false);
                break;
        }

        return (outcomes, Now());
    }
}
