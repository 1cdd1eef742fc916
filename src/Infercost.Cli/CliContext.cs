using System.Text.Json;
using Infercost.Serialization;
using Spectre.Console;

namespace Infercost.Cli;

// Everything a command touches outside the core comes through here, so tests run the whole app in-process with a
// TestConsole, StringWriters and files held in memory.

/// <summary>The console, output streams and file access that commands use.</summary>
/// <param name="Console">Where tables are rendered.</param>
/// <param name="Out">Where JSON and help text go.</param>
/// <param name="Error">Where error lines go.</param>
/// <param name="ReadFile">Reads a whole text file by path (<see cref="File.ReadAllText(string)"/> outside tests).</param>
/// <param name="IsFolder">Whether a path names a folder (<see cref="Directory.Exists(string)"/> when not given).</param>
public sealed record CliContext(IAnsiConsole Console, TextWriter Out, TextWriter Error, Func<string, string> ReadFile,
    Func<string, bool>? IsFolder = null)
{
    private bool Folder(string path) => (IsFolder ?? Directory.Exists)(path);

    /// <summary>The config file <c>--model-config</c> names: the path itself, or <c>config.json</c> inside a model folder.</summary>
    public string ModelConfigPath(string path) => Folder(path) ? Path.Combine(path, "config.json") : path;

    /// <summary>Reads what <c>--model-config</c> names: a <c>config.json</c> file, or a model folder holding one. The
    /// <c>hf_quant_config.json</c> that NVIDIA ModelOpt checkpoints keep beside <c>config.json</c> is read too when present.</summary>
    /// <returns>The config text, the quantisation file's text (or null) and the path the config was read from.</returns>
    /// <exception cref="InvalidInputException">The folder has no config.json, or the file cannot be read.</exception>
    public (string Config, string? QuantConfig, string ConfigPath) ReadModelConfig(string path, string option)
    {
        ArgumentNullException.ThrowIfNull(path);
        var folder = Folder(path) ? path : Path.GetDirectoryName(path);
        var configPath = Folder(path) ? Path.Combine(path, "config.json") : path;
        string config;
        try
        {
            config = ReadFile(configPath);
        }
        catch (Exception e) when (Folder(path) && e is FileNotFoundException)
        {
            throw new InvalidInputException(option,
                $"{option} folder '{path}' has no config.json (a model folder holds config.json, and hf_quant_config.json for ModelOpt checkpoints).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException(option, $"cannot read {option} file '{configPath}': {e.Message}");
        }

        string? quant = null;
        if (Folder(path) || string.Equals(Path.GetFileName(path), "config.json", StringComparison.OrdinalIgnoreCase))
        {
            var quantPath = Path.Combine(folder ?? "", "hf_quant_config.json");
            try
            {
                quant = ReadFile(quantPath);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                quant = null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException(option, $"cannot read {option} file '{quantPath}': {e.Message}");
            }
        }

        return (config, quant, configPath);
    }

    /// <summary>Reads the file that <paramref name="option"/> names, turning I/O failures into an
    /// <see cref="InvalidInputException"/> that names the option and the path.</summary>
    public string ReadText(string path, string option)
    {
        if (Folder(path)) throw new InvalidInputException(option, $"cannot read {option} file '{path}': it is a folder, not a file.");
        try
        {
            return ReadFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException(option, $"cannot read {option} file '{path}': {e.Message}");
        }
    }

    /// <summary>Opens a file for reading line by line (a trace of any size); null reads it whole through
    /// <see cref="ReadFile"/> (tests, with files held in memory).</summary>
    public Func<string, TextReader>? OpenFile { get; init; }

    /// <summary>Opens the file that <paramref name="option"/> names for streaming, turning I/O failures into an
    /// <see cref="InvalidInputException"/> that names the option and the path.</summary>
    public TextReader OpenText(string path, string option)
    {
        if (Folder(path)) throw new InvalidInputException(option, $"cannot read {option} file '{path}': it is a folder, not a file.");
        try
        {
            return OpenFile is { } open ? open(path) : new StringReader(ReadFile(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException(option, $"cannot read {option} file '{path}': {e.Message}");
        }
    }

    /// <summary>Refuses, before any work, a file to be written whose folder does not exist.</summary>
    /// <exception cref="InvalidInputException">The folder is missing; names the option and the path.</exception>
    public void CheckWritable(string path, string option)
    {
        var folder = Path.GetDirectoryName(path);
        // Where the file will be written: the disk unless WriteFile is replaced (as tests may).
        if (!string.IsNullOrEmpty(folder) && !(WriteFile is null ? Directory.Exists(folder) : Folder(folder)))
        {
            throw new InvalidInputException(option, $"cannot write {option} file '{path}': the folder '{folder}' does not exist.");
        }
    }

    /// <summary>Writes a whole text file (<see cref="File.WriteAllText(string, string?)"/> unless replaced, as tests may).</summary>
    public Action<string, string>? WriteFile { get; init; }

    /// <summary>Writes <paramref name="text"/> to the file that <paramref name="option"/> names, turning I/O failures into an
    /// <see cref="InvalidInputException"/> that names the option and the path.</summary>
    public void WriteText(string path, string text, string option)
    {
        try
        {
            (WriteFile ?? File.WriteAllText)(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException(option, $"cannot write {option} file '{path}': {e.Message}");
        }
    }

    /// <summary>Appends text to a file (<see cref="File.AppendAllText(string, string?)"/> unless replaced, as tests may).</summary>
    public Action<string, string>? AppendFile { get; init; }

    /// <summary>Appends <paramref name="text"/> to the file that <paramref name="option"/> names, turning I/O failures into an
    /// <see cref="InvalidInputException"/> that names the option and the path.</summary>
    public void AppendText(string path, string text, string option)
    {
        try
        {
            (AppendFile ?? File.AppendAllText)(path, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException(option, $"cannot write {option} file '{path}': {e.Message}");
        }
    }

    /// <summary>Reads the file <paramref name="option"/> names, or null when it does not exist yet.</summary>
    public string? ReadTextIfExists(string path, string option)
    {
        if (Folder(path)) throw new InvalidInputException(option, $"cannot read {option} file '{path}': it is a folder, not a file.");
        try
        {
            return ReadFile(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException(option, $"cannot read {option} file '{path}': {e.Message}");
        }
    }

    /// <summary>Writes <paramref name="report"/> to <see cref="Out"/> as indented JSON (<see cref="InfercostJson.Options"/>).</summary>
    public void WriteJson<T>(T report) => Out.WriteLine(JsonSerializer.Serialize(report, InfercostJson.Options));
}
