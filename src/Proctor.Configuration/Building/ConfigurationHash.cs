using System.Buffers;
using System.Collections;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Proctor.Configuration.Binding;
using Proctor.Configuration.Options;
using Proctor.Ledger.Canonical;
using YamlDotNet.RepresentationModel;

namespace Proctor.Configuration.Building;

/// <summary>
/// The configuration hash: SHA-256 over the RFC 8785 canonical JSON of the bound configuration, by the
/// ledger's own canonicalizer (decision 0024). The JSON follows the file's keys, written from the typed
/// values: durations in milliseconds, sizes in bytes, enums in lower case, sets sorted, maps by key, and
/// every secret-bearing value as written (references unresolved). A key at its default is left out, so a
/// default written out or left out hashes the same, and a key added later does not change the hash of a
/// configuration that does not use it. Changing the form, or any documented default, changes what a
/// hash means: <see cref="Version"/> MUST change with it.
/// </summary>
internal static class ConfigurationHash
{
    /// <summary>3: the form of decision 0024. 1 was a hand-written member order, and 2 that order with the gateway limits.</summary>
    public const string Version = "proctor.configuration/3";

    public static (string Hash, string Canonical) Compute(ProctorOptions options)
    {
        var canonical = JsonCanonicalizer.Canonicalize(Write(options, omitDefaults: true));
        return (Convert.ToHexStringLower(SHA256.HashData(canonical)), Encoding.UTF8.GetString(canonical));
    }

    /// <summary>
    /// Every default of every section, list entry and map value, spelled out: what the hash leaves out.
    /// A test pins it, so that a changed default cannot go unnoticed (and without a new <see cref="Version"/>).
    /// </summary>
    public static string Defaults()
    {
        var schemas = new List<ObjectSchema>();
        Collect(ObjectSchema.Of<ProctorOptions>(), schemas);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("format", Version);
            foreach (var schema in schemas)
            {
                json.WriteStartObject(schema.Type.Name);
                WriteMembers(json, schema, schema.Create(), defaults: null);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(buffer.WrittenSpan));
    }

    private static void Collect(ObjectSchema schema, List<ObjectSchema> schemas)
    {
        if (schemas.Contains(schema))
        {
            return;
        }

        schemas.Add(schema);
        foreach (var member in schema.Members)
        {
            for (var shape = member.Shape; shape is not null; shape = shape.Item)
            {
                if (shape.Object is { } nested)
                {
                    Collect(nested, schemas);
                }
            }
        }
    }

    private static byte[] Write(ProctorOptions options, bool omitDefaults)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("format", Version);
            WriteMembers(json, ObjectSchema.Of<ProctorOptions>(), options, omitDefaults ? new ProctorOptions() : null);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMembers(Utf8JsonWriter json, ObjectSchema schema, object value, object? defaults)
    {
        foreach (var member in schema.Members)
        {
            var current = member.Get(value);
            if (defaults is not null && Same(member.Shape, current, member.Get(defaults)))
            {
                continue;
            }

            json.WritePropertyName(member.Key);
            WriteValue(json, member.Shape, current, defaults is not null);
        }
    }

    private static void WriteValue(Utf8JsonWriter json, Shape shape, object? value, bool omitDefaults)
    {
        if (value is null)
        {
            json.WriteNullValue();
            return;
        }

        switch (shape.Kind)
        {
            case ShapeKind.Scalar:
                ScalarFormats.Write(json, shape, value);
                break;
            case ShapeKind.List:
                var items = ((IEnumerable)value).Cast<object>().Select(item => Json(shape.Item!, item, omitDefaults));
                json.WriteStartArray();
                foreach (var item in shape.Setting.Set ? items.Order(StringComparer.Ordinal) : items)
                {
                    json.WriteRawValue(item);
                }

                json.WriteEndArray();
                break;
            case ShapeKind.Map:
                json.WriteStartObject();
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    json.WritePropertyName((string)entry.Key);
                    WriteValue(json, shape.Item!, entry.Value, omitDefaults);
                }

                json.WriteEndObject();
                break;
            case ShapeKind.Object:
                json.WriteStartObject();
                WriteMembers(json, shape.Object!, value, omitDefaults ? shape.Object!.Create() : null);
                json.WriteEndObject();
                break;
            case ShapeKind.Node:
                WriteNode(json, (YamlNode)value);
                break;
        }
    }

    /// <summary>A section another library reads is hashed as its YAML structure, every scalar as text.</summary>
    private static void WriteNode(Utf8JsonWriter json, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                json.WriteStartObject();
                foreach (var (key, child) in mapping.Children)
                {
                    json.WritePropertyName(((YamlScalarNode)key).Value ?? "");
                    WriteNode(json, child);
                }

                json.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                json.WriteStartArray();
                foreach (var child in sequence.Children)
                {
                    WriteNode(json, child);
                }

                json.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                json.WriteStringValue(scalar.Value);
                break;
        }
    }

    private static bool Same(Shape shape, object? value, object? defaultValue) =>
        Json(shape, value, omitDefaults: true) == Json(shape, defaultValue, omitDefaults: true);

    private static string Json(Shape shape, object? value, bool omitDefaults)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteValue(json, shape, value, omitDefaults);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
