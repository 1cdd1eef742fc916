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
public sealed record CliContext(IAnsiConsole Console, TextWriter Out, TextWriter Error, Func<string, string> ReadFile)
{
    /// <summary>Reads the file that <paramref name="option"/> names, turning I/O failures into an
    /// <see cref="InvalidInputException"/> that names the option and the path.</summary>
    public string ReadText(string path, string option)
    {
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
        try
        {
            return OpenFile is { } open ? open(path) : new StringReader(ReadFile(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException(option, $"cannot read {option} file '{path}': {e.Message}");
        }
    }

    /// <summary>Writes <paramref name="report"/> to <see cref="Out"/> as indented JSON (<see cref="InfercostJson.Options"/>).</summary>
    public void WriteJson<T>(T report) => Out.WriteLine(JsonSerializer.Serialize(report, InfercostJson.Options));
}
