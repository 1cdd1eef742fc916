namespace Infercost.Server.Scenarios;

/// <summary>Where scenarios are kept. Every write is one transaction: once a call returns, the scenario survives a
/// crash of this process.</summary>
public interface IScenarioStore
{
    /// <summary>Saves a new scenario.</summary>
    Task AddAsync(Scenario scenario, CancellationToken cancellation);

    /// <summary>Scenarios newest first, without inputs and results.</summary>
    Task<IReadOnlyList<ScenarioSummary>> ListAsync(int limit, int offset, CancellationToken cancellation);

    /// <summary>One scenario, or null.</summary>
    Task<Scenario?> GetAsync(string id, CancellationToken cancellation);

    /// <summary>Replaces a scenario's result and engine version (a re-run); false when there is no such scenario.</summary>
    Task<bool> UpdateResultAsync(string id, string resultJson, string engineVersion, DateTimeOffset updatedAt, CancellationToken cancellation);

    /// <summary>Deletes a scenario; false when there was none.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellation);

    /// <summary>How many scenarios there are.</summary>
    Task<long> CountAsync(CancellationToken cancellation);
}
