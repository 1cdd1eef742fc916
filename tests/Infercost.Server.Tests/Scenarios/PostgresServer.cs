using System.Diagnostics;

namespace Infercost.Server.Tests.Scenarios;

// A real PostgreSQL server for the persistence suite: the connection string in INFERCOST_TEST_POSTGRES when set (CI
// may point it at a running server), else a private cluster this fixture creates with the Debian binaries (initdb,
// pg_ctl) in a temp folder, listening on a Unix socket in that folder only (no TCP port to collide with other tests).
// When neither is possible the tests skip, saying why.

/// <summary>A PostgreSQL server for one test class.</summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly string[] BinFolders = ["/usr/lib/postgresql/17/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/15/bin", "/usr/local/bin", "/usr/bin"];
    private string? _dataDir;
    private string? _pgCtl;
    private bool _asPostgresUser;

    /// <summary>A connection string to a database of this fixture's own, or null when no server could be had.</summary>
    public string? ConnectionString { get; private set; }

    /// <summary>Why <see cref="ConnectionString"/> is null.</summary>
    public string SkipReason { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("INFERCOST_TEST_POSTGRES") is { Length: > 0 } given)
        {
            ConnectionString = given;
            return;
        }

        var bin = BinFolders.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        if (bin is null)
        {
            SkipReason = "PostgreSQL is not installed (no initdb/pg_ctl; .ci/run installs the Debian package postgresql) and INFERCOST_TEST_POSTGRES is not set.";
            return;
        }

        _pgCtl = Path.Combine(bin, "pg_ctl");
        _asPostgresUser = Environment.UserName == "root";
        _dataDir = Path.Combine(Path.GetTempPath(), "infercost-pg-" + Guid.NewGuid().ToString("n")[..12]);
        Directory.CreateDirectory(_dataDir);
        if (_asPostgresUser) await Run("chown", ["postgres", _dataDir], asPostgres: false);
        await Run(Path.Combine(bin, "initdb"), ["-D", Path.Combine(_dataDir, "data"), "-U", "postgres", "-A", "trust", "--no-sync"], _asPostgresUser);
        await Run(_pgCtl, ["-D", Path.Combine(_dataDir, "data"), "-w", "-l", Path.Combine(_dataDir, "log"), "-o",
            $"-k {_dataDir} -c listen_addresses='' -c fsync=on", "start"], _asPostgresUser);
        ConnectionString = $"Host={_dataDir};Username=postgres;Database=postgres;Pooling=true";
    }

    public async ValueTask DisposeAsync()
    {
        if (_pgCtl is not null && _dataDir is not null)
        {
            await Run(_pgCtl, ["-D", Path.Combine(_dataDir, "data"), "-m", "immediate", "-w", "stop"], _asPostgresUser);
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    /// <summary>A connection string to a new, empty database on this server.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var name = "t" + Guid.NewGuid().ToString("n")[..16];
        await using (var connection = new Npgsql.NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ToString();
    }

    private static async Task Run(string file, string[] args, bool asPostgres)
    {
        var start = asPostgres ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. args]) : new ProcessStartInfo(file, args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed ({process.ExitCode}): {await error} {await output}");
    }
}
