namespace Infercost.Cluster;

/// <summary>One silo's search worker: it holds the prepared searches (space, workload, settings, by inputs hash) and
/// simulates candidates of them with <see cref="Search.DesignSearch.Evaluate"/>. Keyed by the silo's address
/// (<c>SiloAddress.ToParsableString()</c>) and placed on that silo, so the client decides which silo does a unit.</summary>
public interface ISearchWorker : IGrainWithStringKey
{
    /// <summary>Prepares a search on this silo. Returns null when ready, else why not (one line).</summary>
    /// <param name="inputsHash">The client's <see cref="Requests.SearchRequest.InputsHash"/>: the silo recomputes it and refuses a mismatch.</param>
    /// <param name="requestJson">The search request as the server's JSON.</param>
    /// <param name="catalogText">The client's <c>--catalog</c> file text, or null for the embedded catalog.</param>
    /// <param name="sources">The client's file names for the input histogram, output histogram and trace, tab-separated.</param>
    Task<string?> Prepare(string inputsHash, string requestJson, string? catalogText, string sources);

    /// <summary>Simulates candidate <paramref name="index"/> of a prepared search: its outcome as a state-file line,
    /// or null when this silo has not prepared that search (it restarted).</summary>
    Task<string?> Evaluate(string inputsHash, int index, CancellationToken cancellation);

    /// <summary>Units this silo simulates at once; answers while it simulates (the client's liveness probe).</summary>
    Task<int> Capacity();

    /// <summary>The candidates of <paramref name="inputsHash"/> this silo holds now (received and not yet answered), by
    /// index: the client's probe for calls lost on the way (a message a gateway dropped, an answer that never came
    /// back), which a silo that answers its probes would otherwise hide.</summary>
    Task<int[]> Holding(string inputsHash);
}
