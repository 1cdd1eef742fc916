namespace Infercost.Cluster;

/// <summary>One silo's simulation worker: it holds the prepared simulations (a <c>simulate --runs N</c> request resolved
/// and prepared, by inputs hash) and runs seed-runs of them with <see cref="Requests.SimulateRequest.AnswerRun"/>. Keyed
/// by the silo's address (<c>SiloAddress.ToParsableString()</c>) and placed on that silo, so the client decides which
/// silo runs which seed; it shares the silo's slots (<see cref="SearchWorkerSlots"/>) with the search worker.</summary>
public interface ISimulationWorker : IGrainWithStringKey
{
    /// <summary>Prepares a simulation on this silo, at an engine speed, under the key
    /// <see cref="SimulationKeys.Of"/>(<paramref name="inputsHash"/>, <paramref name="speedRatio"/>). Returns null when
    /// ready, else why not (one line).</summary>
    /// <param name="inputsHash">The client's <see cref="Requests.SimulateRequest.InputsHash"/>: the silo recomputes it and refuses a mismatch.</param>
    /// <param name="speedRatio">1 for the simulation as modelled; a band end's actual ÷ predicted engine speed for
    /// <c>--bands</c> (<see cref="Requests.SimulateRequest.AtSpeed"/>).</param>
    /// <param name="requestJson">The simulate request as the server's JSON.</param>
    /// <param name="catalogText">The client's <c>--catalog</c> file text, or null for the embedded catalog.</param>
    /// <param name="sources">The client's file names for the model config, input histogram, output histogram and rate
    /// curve, tab-separated (they name the files in messages and in a pasted model's provenance).</param>
    Task<string?> Prepare(string inputsHash, double speedRatio, string requestJson, string? catalogText, string sources);

    /// <summary>Simulates seed-run <paramref name="run"/> of a prepared simulation (by its <see cref="SimulationKeys.Of"/>
    /// key): its <see cref="Simulation.RunSummary"/> as a JSON line, or null when this silo has not prepared that
    /// simulation (it restarted).</summary>
    Task<string?> Run(string key, int run, CancellationToken cancellation);

    /// <summary>Units this silo runs at once; answers while it runs them (the client's liveness probe).</summary>
    Task<int> Capacity();

    /// <summary>The seed-runs of the simulation <paramref name="key"/> this silo holds now (received and not yet
    /// answered), by index: the client's probe for calls lost on the way (a message a gateway dropped, an answer that
    /// never came back), which a silo that answers its probes would otherwise hide.</summary>
    Task<int[]> Holding(string key);
}

/// <summary>The key a silo holds a prepared simulation under: its inputs hash, and the engine speed it runs at.</summary>
public static class SimulationKeys
{
    /// <summary><paramref name="inputsHash"/> at speed 1; else it and the speed ratio written round-trip
    /// (<c>HASH@0.6640710543305036</c>).</summary>
    public static string Of(string inputsHash, double speedRatio) =>
        speedRatio == 1 ? inputsHash : inputsHash + "@" + speedRatio.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
