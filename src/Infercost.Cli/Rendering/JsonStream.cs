using System.Buffers;
using System.Text;
using System.Text.Json;
using Infercost.Serialization;

namespace Infercost.Cli.Rendering;

// JsonSerializer.Serialize(value) builds the whole document as one string; a report with a row per line of a large file
// would then hold every row twice. Here the caller writes the document token by token (a row at a time) and the bytes go
// to stdout in chunks, with the same layout and escaping as InfercostJson.Options, so the text is the same to the byte.

/// <summary>Writes one JSON document to a <see cref="TextWriter"/> as it is built, in chunks of about
/// <see cref="ChunkBytes"/>, formatted as <see cref="InfercostJson.Options"/> formats a whole record.</summary>
internal sealed class JsonStream(TextWriter output) : IDisposable
{
    /// <summary>How many bytes are gathered before they are written out.</summary>
    public const int ChunkBytes = 16 * 1024;

    private readonly ArrayBufferWriter<byte> _buffer = new(2 * ChunkBytes);
    private Utf8JsonWriter? _writer;

    /// <summary>The writer to build the document with (indented and escaped as <see cref="InfercostJson.Options"/>).</summary>
    public Utf8JsonWriter Writer => _writer ??= new Utf8JsonWriter(_buffer, new JsonWriterOptions
    {
        Indented = InfercostJson.Options.WriteIndented,
        IndentCharacter = InfercostJson.Options.IndentCharacter,
        IndentSize = InfercostJson.Options.IndentSize,
        NewLine = InfercostJson.Options.NewLine,
        Encoder = InfercostJson.Options.Encoder,
    });

    /// <summary>Serialises <paramref name="value"/> at the writer's position with <see cref="InfercostJson.Options"/>.</summary>
    public void Write<T>(T value) => JsonSerializer.Serialize(Writer, value, InfercostJson.Options);

    /// <summary>Writes out what has been gathered once it reaches <see cref="ChunkBytes"/>; call between values, so a
    /// chunk never ends inside a character.</summary>
    public void FlushIfFull()
    {
        Writer.Flush();
        if (_buffer.WrittenCount >= ChunkBytes) Drain();
    }

    /// <summary>Writes out the rest and ends the document with a line break (as <see cref="CliContext.WriteJson{T}"/> does).</summary>
    public void Complete()
    {
        Writer.Flush();
        Drain();
        output.WriteLine();
    }

    private void Drain()
    {
        output.Write(Encoding.UTF8.GetString(_buffer.WrittenSpan));
        _buffer.ResetWrittenCount();
    }

    /// <inheritdoc/>
    public void Dispose() => _writer?.Dispose();
}
