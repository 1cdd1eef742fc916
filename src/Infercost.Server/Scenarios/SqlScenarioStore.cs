using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Infercost.Server.Scenarios;

// Plain ADO.NET over one schema that both SQLite and PostgreSQL accept (TEXT columns, ISO-8601 UTC timestamps that
// sort as text, @name parameters), so the same statements and the same test suite run on both. Schema changes are
// numbered migrations recorded in schema_migrations and applied under a lock (SQLite: BEGIN IMMEDIATE; PostgreSQL:
// an advisory transaction lock), so several server processes starting on one database migrate it once.
// Durability: SQLite in WAL mode with synchronous=FULL; every write is a single statement in its own transaction, so
// a process killed at any instant leaves each scenario either committed whole or absent.

/// <summary>Scenarios in a SQLite file or a PostgreSQL database.</summary>
public sealed class SqlScenarioStore : IScenarioStore
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE scenarios (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            question TEXT NOT NULL,
            inputs TEXT NOT NULL,
            result TEXT NOT NULL,
            engine_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX scenarios_created_at ON scenarios (created_at DESC, id)",
    ];

    private readonly Func<DbConnection> _connect;
    private readonly bool _postgres;

    private SqlScenarioStore(Func<DbConnection> connect, bool postgres)
    {
        _connect = connect;
        _postgres = postgres;
    }

    /// <summary>The schema version this code writes.</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <summary>A store for <paramref name="database"/>: a PostgreSQL connection string (it has <c>Host=</c>), else a
    /// SQLite file path (created with its folder if missing). Applies pending migrations.</summary>
    public static async Task<SqlScenarioStore> OpenAsync(string database, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(database);
        SqlScenarioStore store;
        if (database.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            var source = NpgsqlDataSource.Create(database);
            store = new SqlScenarioStore(source.CreateConnection, postgres: true);
        }
        else
        {
            var path = Path.GetFullPath(database);
            if (Path.GetDirectoryName(path) is { } folder) Directory.CreateDirectory(folder);
            var text = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, DefaultTimeout = 30 }.ToString();
            store = new SqlScenarioStore(() => new SqliteConnection(text), postgres: false);
        }

        await store.MigrateAsync(cancellation).ConfigureAwait(false);
        return store;
    }

    /// <summary>The schema version the database is at.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellation).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task AddAsync(Scenario scenario, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection,
            "INSERT INTO scenarios (id, name, question, inputs, result, engine_version, created_at, updated_at) " +
            "VALUES (@id, @name, @question, @inputs, @result, @engine, @created, @updated)",
            ("id", scenario.Id), ("name", scenario.Name), ("question", scenario.Question), ("inputs", scenario.Inputs.GetRawText()),
            ("result", scenario.Result.GetRawText()), ("engine", scenario.EngineVersion), ("created", Stamp(scenario.CreatedAt)),
            ("updated", Stamp(scenario.UpdatedAt)));
        await command.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ScenarioSummary>> ListAsync(int limit, int offset, CancellationToken cancellation)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT id, name, question, engine_version, created_at, updated_at FROM scenarios ORDER BY created_at DESC, id LIMIT @limit OFFSET @offset",
            ("limit", limit), ("offset", offset));
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        var list = new List<ScenarioSummary>();
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            list.Add(new ScenarioSummary(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                Parse(reader.GetString(4)), Parse(reader.GetString(5))));
        }

        return list;
    }

    /// <inheritdoc />
    public async Task<Scenario?> GetAsync(string id, CancellationToken cancellation)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT id, name, question, inputs, result, engine_version, created_at, updated_at FROM scenarios WHERE id = @id", ("id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellation).ConfigureAwait(false)) return null;
        using var inputs = JsonDocument.Parse(reader.GetString(3));
        using var result = JsonDocument.Parse(reader.GetString(4));
        return new Scenario(reader.GetString(0), reader.GetString(1), reader.GetString(2), inputs.RootElement.Clone(), result.RootElement.Clone(),
            reader.GetString(5), Parse(reader.GetString(6)), Parse(reader.GetString(7)));
    }

    /// <inheritdoc />
    public async Task<bool> UpdateResultAsync(string id, string resultJson, string engineVersion, DateTimeOffset updatedAt, CancellationToken cancellation)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection,
            "UPDATE scenarios SET result = @result, engine_version = @engine, updated_at = @updated WHERE id = @id",
            ("id", id), ("result", resultJson), ("engine", engineVersion), ("updated", Stamp(updatedAt)));
        return await command.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellation)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, "DELETE FROM scenarios WHERE id = @id", ("id", id));
        return await command.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task<long> CountAsync(CancellationToken cancellation)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, "SELECT COUNT(*) FROM scenarios");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellation).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private async Task MigrateAsync(CancellationToken cancellation)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        if (!_postgres)
        {
            // WAL is a property of the file: set once, kept by every later connection.
            await using var wal = Command(connection, "PRAGMA journal_mode=WAL");
            await wal.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        if (_postgres)
        {
            await using var locked = Command(connection, "SELECT pg_advisory_xact_lock(1117)", transaction);
            await locked.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }

        await using (var create = Command(connection, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", transaction))
        {
            await create.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }

        int current;
        await using (var version = Command(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", transaction))
        {
            current = Convert.ToInt32(await version.ExecuteScalarAsync(cancellation).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        for (var v = current + 1; v <= Migrations.Length; v++)
        {
            await using (var step = Command(connection, Migrations[v - 1], transaction))
            {
                await step.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
            }

            await using var record = Command(connection, "INSERT INTO schema_migrations (version, applied_at) VALUES (@v, @at)", transaction,
                ("v", v), ("at", Stamp(DateTimeOffset.UtcNow)));
            await record.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    private async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellation)
    {
        var connection = _connect();
        await connection.OpenAsync(cancellation).ConfigureAwait(false);
        if (!_postgres)
        {
            await using var pragmas = Command(connection, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000");
            await pragmas.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
        }

        return connection;
    }

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters) =>
        Command(connection, sql, null, parameters);

#pragma warning disable CA2100 // Every statement is a constant of this class; values travel only as parameters.
    private static DbCommand Command(DbConnection connection, string sql, DbTransaction? transaction, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
#pragma warning restore CA2100

    private static string Stamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
