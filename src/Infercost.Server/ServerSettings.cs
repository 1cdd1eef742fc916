namespace Infercost.Server;

/// <summary>The server's settings, from configuration only (section <c>Infercost</c>: appsettings, environment
/// variables <c>INFERCOST__APIKEY</c>..., or the command line <c>--Infercost:ApiKey=...</c>). No request changes them.</summary>
public sealed class ServerSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Infercost";

    /// <summary>Where Kestrel listens when no <c>urls</c> are configured: loopback only.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5178";

    /// <summary>The key clients send in the <c>X-Api-Key</c> header. Required when the server listens on anything
    /// but loopback; when set, every <c>/api</c> request must carry it.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Where scenarios are kept: a SQLite file path, or a PostgreSQL connection string (<c>Host=...;Database=...</c>).
    /// Default: <c>scenarios.db</c> in the user's local application data folder (<c>~/.local/share/infercost</c>).</summary>
    public string? Database { get; set; }

    /// <summary><see cref="Database"/>, or the default SQLite file.</summary>
    public string DatabaseOrDefault => Database is { Length: > 0 } db
        ? db
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "infercost", "scenarios.db");

    /// <summary>Largest request body accepted, in bytes (a request is a few hundred bytes; a pasted Hugging Face
    /// config a few kilobytes).</summary>
    public long MaxRequestBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Most jobs that run at once; more are refused with 429 until one finishes.</summary>
    public int MaxConcurrentJobs { get; set; } = 2;

    /// <summary>Longest a job (or a synchronous answer) may run before it is cancelled, in seconds. The core's own
    /// simulation budget (2 billion output tokens, about a minute) bounds the work first.</summary>
    public double JobTimeoutSeconds { get; set; } = 120;
}
