using System.Text.Json;
using System.Text.Json.Serialization;
using Infercost.Quantities;

namespace Infercost.Serialization;

/// <summary>Creates a <see cref="QuantityJsonConverter{T}"/> for every type that implements
/// <see cref="IQuantity{TSelf}"/> of itself; nullable quantities use the same converter through the serializer.</summary>
public sealed class QuantityJsonConverterFactory : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert)
    {
        ArgumentNullException.ThrowIfNull(typeToConvert);
        return typeToConvert.IsValueType && typeToConvert.GetInterfaces().Any(i =>
            i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IQuantity<>) && i.GenericTypeArguments[0] == typeToConvert);
    }

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(QuantityJsonConverter<>).MakeGenericType(typeToConvert))!;
}

/// <summary>Writes a quantity as its value in the canonical unit and reads it back through
/// <see cref="IQuantity{TSelf}.FromCanonical"/>; anything but a finite JSON number is rejected.</summary>
/// <typeparam name="T">The quantity type.</typeparam>
public sealed class QuantityJsonConverter<T> : JsonConverter<T> where T : struct, IQuantity<T>
{
    /// <inheritdoc />
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // Named literals ("NaN", "Infinity") arrive as strings; they are refused whatever NumberHandling says.
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new JsonException($"a quantity in {T.Symbol} must be a finite JSON number; was a {reader.TokenType} token.");
        }

        if (!reader.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw new JsonException($"a quantity in {T.Symbol} must be a finite JSON number; was out of range.");
        }

        try
        {
            return T.FromCanonical(value);
        }
        catch (InvalidInputException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumberValue(value.Value);
    }
}
