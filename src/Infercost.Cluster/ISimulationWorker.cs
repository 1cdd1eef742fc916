namespace Infercost.Cluster;

/// <summary>One silo's simulation worker: it holds the prepared simulations (a <c>simulate --runs N</c> request resolved
/// and prepared, by inputs hash) and runs seed-runs of them with <see cref="Requests.SimulateRequest.AnswerRun"/>. Keyed
/// by the silo's address (<c>SiloAddress.ToParsableString()</c>) and placed on that silo, so the client decides which
/// silo runs which seed; it shares the silo's slots (<see cref="SearchWorkerSlots"/>) with the search worker.</summary>
public interface ISimulationWorker : IGrainWithStringKey
{
    /// <summary>Prepares a simulation on this silo. Returns null when ready, else why not (one line).</summary>
    /// <param name="inputsHash">The client's <see cref="Requests.SimulateRequest.InputsHash"/>: the silo recomputes it and refuses a mismatch.</param>
    /// <param name="requestJson">The simulate request as the server's JSON.</param>
    /// <param name="catalogText">The client's <c>--catalog</c> file text, or null for the embedded catalog.</param>
    /// <param name="sources">The client's file names for the model config, input histogram, output histogram and rate
    /// curve, tab-separated (they name the files in messages and in a pasted model's provenance).</param>
    Task<string?> Prepare(string inputsHash, string requestJson, string? catalogText, string sources);

    /// <summary>Simulates seed-run <paramref name="run"/> of a prepared simulation: its <see cref="Simulation.RunSummary"/>
    /// as a JSON line, or null when this silo has not prepared that simulation (it restarted).</summary>
    Task<string?> Run(string inputsHash, int run, CancellationToken cancellation);

    /// <summary>Units this silo runs at once; answers while it runs them (the client's liveness probe).</summary>
    Task<int> Capacity();

    /// <summary>The seed-runs of <paramref name="inputsHash"/> this silo holds now (received and not yet answered), by
    /// index: the client's probe for calls lost on the way (a message a gateway dropped, an answer that never came
    /// back), which a silo that answers its probes would otherwise hide.</summary>
    Task<int[]> Holding(string inputsHash);
}
