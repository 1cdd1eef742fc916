using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Infercost.Costing;

namespace Infercost.Serialization;

// One set of options for every JSON the shells emit (CLI --json, later the server), so a result record reads the
// same wherever it appears. Quantities are written as bare numbers in their canonical unit (bytes, seconds, FLOP/s,
// $/h...) rather than as objects: a number is what a script wants, and the unit is fixed by the property's type
// (documented on the record). The options are frozen so no caller can change them for everyone else.

/// <summary>The JSON conventions of Infercost's result records.</summary>
public static class InfercostJson
{
    private static readonly Lazy<JsonSerializerOptions> LazyOptions = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>camelCase property names, indented, enums as camelCase strings (<c>"fp8"</c>, <c>"memory"</c>), every
    /// <see cref="Quantities.IQuantity{TSelf}"/> as its canonical number, <see cref="CostBasis"/> with a
    /// <c>"kind"</c> discriminator (<c>rental</c>, <c>owned</c>). Read-only.</summary>
    public static JsonSerializerOptions Options => LazyOptions.Value;

    /// <summary>Serialises <paramref name="value"/> with <see cref="Options"/>.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Deserialises <paramref name="json"/> with <see cref="Options"/>.</summary>
    /// <exception cref="JsonException">Malformed JSON, or a quantity that is not a finite number.</exception>
    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            // Result records are JSON documents, never embedded in HTML: keep "'", "×" and "µ" readable.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DescribeCostBasis } },
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new QuantityJsonConverterFactory());
        options.Converters.Add(new NumberRangeJsonConverter());
        options.MakeReadOnly();
        return options;
    }

    // The core's records carry no serialisation attributes (the core knows nothing of JSON), so the one polymorphic
    // type is described here.
    private static void DescribeCostBasis(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Type != typeof(CostBasis)) return;
        typeInfo.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "kind",
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
            DerivedTypes =
            {
                new JsonDerivedType(typeof(RentalCost), "rental"),
                new JsonDerivedType(typeof(OwnedCost), "owned"),
            },
        };
    }
}
