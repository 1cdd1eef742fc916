using System.Text.Json;
using System.Text.Json.Serialization;
using Infercost.Requests;

namespace Infercost.Serialization;

/// <summary>Reads a <see cref="NumberRange"/> from a JSON number (<c>2.5</c>) or a string in the CLI's syntax
/// (<c>"1.5..3.5"</c>, <c>"2.5"</c>); writes a number for a single value and the string for a range.</summary>
public sealed class NumberRangeJsonConverter : JsonConverter<NumberRange>
{
    /// <inheritdoc />
    public override NumberRange Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return NumberRange.Of(reader.GetDouble());
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("expected a number or a string LOW..HIGH.");
        try
        {
            return NumberRange.Parse(reader.GetString()!, "value");
        }
        catch (InvalidInputException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, NumberRange value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.IsRange) writer.WriteStringValue(value.ToString());
        else writer.WriteNumberValue(value.Low);
    }
}
