using System.Diagnostics;
using System.Text.Json;
using Infercost.Server.Scenarios;

namespace Infercost.Server.Tests.Scenarios;

// One suite, two databases: SqliteScenarioStoreTests runs it on a real SQLite file, PostgresScenarioStoreTests on a
// real PostgreSQL server.

public abstract class ScenarioStoreContract
{
    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A store on a fresh database.</summary>
    protected abstract Task<SqlScenarioStore> NewStoreAsync();

    /// <summary>The same database as <paramref name="store"/>'s, opened again (another process would do the same).</summary>
    protected abstract Task<SqlScenarioStore> ReopenAsync(SqlScenarioStore store);

    private static Scenario Sample(string name, DateTimeOffset at, double price = 0.414)
    {
        using var inputs = JsonDocument.Parse($$"""{ "model": "deepseek-r1", "gpu": "nvidia-h100-sxm", "gpus": 72, "name": "{{name}}" }""");
        using var result = JsonDocument.Parse($$"""{ "cost": { "outputPerMillion": {{price}} }, "notes": ["é × µ"] }""");
        return new Scenario(Guid.NewGuid().ToString("n"), name, "cost", inputs.RootElement.Clone(), result.RootElement.Clone(), "1.0.0", at, at);
    }

    [Fact]
    public async Task Add_ThenGet_ReturnsTheScenarioIntact()
    {
        var store = await NewStoreAsync();
        var saved = Sample("r1 on 72 H100", new DateTimeOffset(2026, 12, 2, 1, 2, 3, TimeSpan.Zero));

        await store.AddAsync(saved, Token);
        var read = await store.GetAsync(saved.Id, Token);

        Assert.NotNull(read);
        Assert.Equal(saved.Name, read.Name);
        Assert.Equal(saved.Inputs.GetRawText(), read.Inputs.GetRawText());
        Assert.Equal(saved.Result.GetRawText(), read.Result.GetRawText());
        Assert.Equal(saved.CreatedAt, read.CreatedAt);
        Assert.Equal(SqlScenarioStore.SchemaVersion, await store.CurrentVersionAsync(Token));
    }

    [Fact]
    public async Task List_IsNewestFirst_WithLimitAndOffset()
    {
        var store = await NewStoreAsync();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++) await store.AddAsync(Sample($"s{i}", start.AddMinutes(i)), Token);

        var page = await store.ListAsync(2, 1, Token);

        Assert.Equal(["s3", "s2"], page.Select(s => s.Name));
    }

    [Fact]
    public async Task UpdateAndDelete_ChangeOnlyTheScenarioNamed()
    {
        var store = await NewStoreAsync();
        var a = Sample("a", DateTimeOffset.UtcNow);
        var b = Sample("b", DateTimeOffset.UtcNow);
        await store.AddAsync(a, Token);
        await store.AddAsync(b, Token);

        Assert.True(await store.UpdateResultAsync(a.Id, """{"cost":{"outputPerMillion":0.5}}""", "2.0.0", DateTimeOffset.UtcNow, Token));
        Assert.True(await store.DeleteAsync(b.Id, Token));
        Assert.False(await store.DeleteAsync(b.Id, Token));
        Assert.False(await store.UpdateResultAsync("nope", "{}", "2.0.0", DateTimeOffset.UtcNow, Token));

        var read = await store.GetAsync(a.Id, Token);
        Assert.Equal("2.0.0", read!.EngineVersion);
        Assert.Equal(0.5, read.Result.GetProperty("cost").GetProperty("outputPerMillion").GetDouble());
        Assert.Null(await store.GetAsync(b.Id, Token));
    }

    [Fact]
    public async Task ConcurrentWriters_LoseNothing()
    {
        var store = await NewStoreAsync();
        var other = await ReopenAsync(store);
        const int Writers = 8, Each = 40;

        var ids = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var mine = new List<string>();
            for (var i = 0; i < Each; i++)
            {
                var s = Sample($"w{w}-{i}", DateTimeOffset.UtcNow, price: w + i / 100.0);
                await (w % 2 == 0 ? store : other).AddAsync(s, Token);
                mine.Add(s.Id);
            }

            return mine;
        })));

        Assert.Equal(Writers * Each, await store.CountAsync(Token));
        foreach (var id in ids.SelectMany(x => x)) Assert.NotNull(await other.GetAsync(id, Token));
    }

    [Fact]
    public async Task Migrations_AppliedOnce_WhenOpenedAgain()
    {
        var store = await NewStoreAsync();
        await store.AddAsync(Sample("kept", DateTimeOffset.UtcNow), Token);

        var again = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => ReopenAsync(store)));

        foreach (var s in again) Assert.Equal(SqlScenarioStore.SchemaVersion, await s.CurrentVersionAsync(Token));
        Assert.Equal(1, await store.CountAsync(Token));
    }

    [Fact]
    public async Task ListingAThousand_IsMeasured()
    {
        var store = await NewStoreAsync();
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < 1000; i++) await store.AddAsync(Sample($"s{i}", start.AddMilliseconds(i)), Token);
        await store.ListAsync(1000, 0, Token);

        var watch = Stopwatch.StartNew();
        var list = await store.ListAsync(1000, 0, Token);
        watch.Stop();

        Assert.Equal(1000, list.Count);
        // Measured, not asserted on time (docs/performance.md records it).
        TestContext.Current.SendDiagnosticMessage($"{GetType().Name}: listing 1,000 scenarios took {watch.Elapsed.TotalMilliseconds:F2} ms");
    }
}

public sealed class SqliteScenarioStoreTests : ScenarioStoreContract
{
    private readonly Dictionary<SqlScenarioStore, string> _paths = [];

    protected override async Task<SqlScenarioStore> NewStoreAsync()
    {
        var path = TempDatabase.Path();
        var store = await SqlScenarioStore.OpenAsync(path, Token);
        _paths[store] = path;
        return store;
    }

    protected override async Task<SqlScenarioStore> ReopenAsync(SqlScenarioStore store) => await SqlScenarioStore.OpenAsync(_paths[store], Token);
}

public sealed class PostgresScenarioStoreTests(PostgresServer server) : ScenarioStoreContract, IClassFixture<PostgresServer>
{
    private readonly Dictionary<SqlScenarioStore, string> _databases = [];

    protected override async Task<SqlScenarioStore> NewStoreAsync()
    {
        Assert.SkipWhen(server.ConnectionString is null, server.SkipReason);
        var database = await server.NewDatabaseAsync();
        var store = await SqlScenarioStore.OpenAsync(database, Token);
        _databases[store] = database;
        return store;
    }

    protected override async Task<SqlScenarioStore> ReopenAsync(SqlScenarioStore store) => await SqlScenarioStore.OpenAsync(_databases[store], Token);
}
