using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Masking.Tests.Corpus;
using Proctor.Tests.Shared;

namespace Proctor.Masking.Tests.Schemas;

/// <summary>
/// Generates tool results full of sensitive values (every entity type, as strings and as JSON numbers,
/// under telling and neutral names, inside text, arrays and nested objects) and, for each, a schema
/// that fits it as tightly as JSON Schema allows: exact formats, patterns, lengths, enums, consts,
/// unique items, closed objects, oneOf, if/then/else, $ref, and <c>not</c> clauses it only just meets.
/// In <see cref="Proof"/> mode it makes only results masking cannot change (hard negatives).
/// </summary>
internal sealed class TightSchemas(Random random, bool proof = false)
{
    private readonly Values _v = new(random);
    private readonly JsonObject _defs = [];

    /// <summary>The result (structuredContent) and its schema.</summary>
    public (JsonObject Result, JsonObject Schema) Next()
    {
        _defs.Clear();
        var result = Object(depth: 0);
        var schema = For(result).AsObject();
        if (_defs.Count > 0)
        {
            schema["$defs"] = _defs.DeepClone();
        }

        return (result, schema);
    }

    public static bool Proof => true;

    private JsonObject Object(int depth)
    {
        var obj = new JsonObject();
        for (var i = random.Next(2, 6); i > 0; i--)
        {
            var (name, value) = Member(depth);
            obj[obj.ContainsKey(name) ? $"{name}_{i}" : name] = value;
        }
        return obj;
    }

    private (string, JsonNode?) Member(int depth)
    {
        var pick = random.Next(proof ? 6 : 24);
        return pick switch
        {
            0 => ("ok", random.Next(2) == 0),
            1 => ("missing", null),
            2 => ("status", _v.Pick("active", "pending", "closed")),
            3 => ("count", random.Next(0, 500)),
            4 when depth < 2 => ("customer", Object(depth + 1)),
            4 or 5 => ("flags", random.Next(2) == 0 ? new JsonArray(true, false) : new JsonArray(true, true)),
            6 => ("ssn", Values.Nine(_v.Ssn(), _v.Pick("-", " ", ""))),
            7 => ("date_of_birth", _v.Date(true)),
            8 => ("email", _v.Email()),
            9 => ("card_number", _v.Pick<JsonNode>(_v.Card(true), JsonNode.Parse(_v.Card(true))!)),
            10 => ("account_number", _v.Pick<JsonNode>(_v.Digits(12), JsonNode.Parse("9" + _v.Digits(11))!)),
            11 => ("routing_number", _v.Aba(true)),
            12 => ("phone", _v.Phone()),
            13 => ("client_ip", _v.Ipv4()),
            14 => ("iban", _v.Iban(true)),
            15 => ("employer_ein", _v.Ein()),
            16 => ("itin", Values.Nine(_v.Itin(), "-")),
            17 => ("credential", _v.Pick(_v.GitHubToken(), _v.AwsKeyId(), _v.Jwt(), _v.SlackToken())),
            18 => ("note", $"Call {_v.Phone()} about SSN {Values.Nine(_v.Ssn(), "-")} or write to {_v.Email()}"),
            19 => ("ssns", new JsonArray(Values.Nine(_v.Ssn(), "-"), Values.Nine(_v.Ssn(), "-"))),
            20 => ("reference", JsonNode.Parse("9" + _v.Digits(random.Next(8, 15)))), // a long number under a neutral name: the policy's field rule takes it
            21 => ("request_id", _v.Uuid()),
            22 => ("created_at", $"{_v.Date(true)}T10:{random.Next(60):00}:00Z"),
            _ => ("balance", 1000 + random.Next(0, 100000) / 100m),
        };
    }

    private JsonNode For(JsonNode? value, string? name = null, bool wrap = true)
    {
        var schema = value switch
        {
            null => Json("{'type':'null'}"),
            JsonObject obj => ForObject(obj),
            JsonArray array => ForArray(array, name),
            _ when value.GetValueKind() == JsonValueKind.String => ForString(value.GetValue<string>(), name),
            _ when value.GetValueKind() == JsonValueKind.Number => ForNumber(value),
            _ => _v.Pick(Json("{'type':'boolean'}"), new JsonObject { ["const"] = value.DeepClone() }),
        };
        return wrap ? Wrap(schema, value) : schema;
    }

    private JsonObject ForObject(JsonObject obj)
    {
        var properties = new JsonObject();
        foreach (var (name, member) in obj)
        {
            properties[name] = For(member, name);
        }

        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties, ["required"] = new JsonArray([.. obj.Select(p => (JsonNode)p.Key)]) };
        switch (random.Next(4))
        {
            case 0: schema["additionalProperties"] = false; break;
            case 1: schema[proof ? "additionalProperties" : "unevaluatedProperties"] = false; break; // which names a subschema evaluates is not known where unevaluatedProperties stands
            case 2:
                schema["minProperties"] = obj.Count;
                schema["maxProperties"] = obj.Count;
                if (!proof)
                {
                    schema["propertyNames"] = Json("{'maxLength':40}"); // names are strings masking may change
                }

                break;
        }
        return schema;
    }

    private JsonObject ForArray(JsonArray array, string? name)
    {
        var schema = new JsonObject { ["type"] = "array", ["minItems"] = array.Count, ["maxItems"] = array.Count };
        if (random.Next(2) == 0)
        {
            schema["prefixItems"] = new JsonArray([.. array.Select(item => For(item, name, wrap: !proof))]);
            schema["items"] = false;
        }
        else
        {
            schema["items"] = proof ? For(array[0], name, wrap: false) : new JsonObject { ["anyOf"] = new JsonArray([.. array.Select(item => For(item, name))]) };
        }
        if (array.Select(i => i?.ToJsonString()).Distinct().Count() == array.Count)
        {
            schema["uniqueItems"] = true;
        }

        var contains = For(array[0], name);
        schema["contains"] = contains;
        var probe = new JsonObject { ["allOf"] = new JsonArray(contains.DeepClone()), ["$defs"] = _defs.DeepClone() }; // contains may name $defs
        schema["maxContains"] = array.Count(item => SchemaValidator.IsValid(probe, item));
        return schema;
    }

    private JsonObject ForString(string text, string? name)
    {
        if (proof)
        {
            return random.Next(2) == 0 ? new JsonObject { ["const"] = text } : new JsonObject { ["enum"] = new JsonArray(text, "other") };
        }

        var schema = new JsonObject { ["type"] = "string" };
        if (Format(name) is { } format && random.Next(3) > 0)
        {
            schema["format"] = format;
        }

        if (random.Next(3) == 0)
        {
            schema["pattern"] = "^" + EcmaEscape(text) + "$";
        }

        if (random.Next(3) == 0) { schema["minLength"] = text.Length; schema["maxLength"] = text.Length; }
        if (random.Next(4) == 0)
        {
            schema["enum"] = new JsonArray(text, "other");
        }

        if (random.Next(5) == 0)
        {
            schema["const"] = text;
        }

        switch (random.Next(4)) // not-clauses the real value only just meets; a masked one would not
        {
            case 0: schema["not"] = Json("{'pattern':'[\\\\[*]|tok_|sha256:'}"); break;
            case 1: schema["not"] = new JsonObject { ["maxLength"] = text.Length - 1 }; break;
        }
        return schema;
    }

    private JsonObject ForNumber(JsonNode number)
    {
        if (proof)
        {
            return Json("{'type':'integer','minimum':0,'maximum':500}");
        }

        var integer = !number.ToJsonString().Contains('.');
        var schema = new JsonObject { ["type"] = integer ? _v.Pick("integer", "number") : "number" };
        switch (random.Next(3))
        {
            case 0: schema["minimum"] = number.DeepClone(); schema["maximum"] = number.DeepClone(); break;
            case 1: schema["enum"] = new JsonArray(number.DeepClone(), 7); break;
            default: schema["const"] = number.DeepClone(); break;
        }
        if (random.Next(2) == 0)
        {
            schema["not"] = Json("{'type':'string'}"); // true of the number, false once masking made it a string
        }

        return schema;
    }

    /// <summary>Sometimes the same constraint, said another way: oneOf, anyOf, if/then/else, allOf, or a $ref to $defs.</summary>
    private JsonNode Wrap(JsonNode schema, JsonNode? value) => random.Next(proof ? 5 : 7) switch
    {
        0 => new JsonObject { ["oneOf"] = new JsonArray(schema, Other(value)) },
        1 => new JsonObject { ["anyOf"] = new JsonArray(schema, Other(value)) },
        2 => new JsonObject { ["if"] = proof ? new JsonObject { ["const"] = value?.DeepClone() } : Kind(value), ["then"] = schema, ["else"] = Other(value) },
        3 => new JsonObject { ["allOf"] = new JsonArray(schema) },
        5 or 6 => Define(schema),
        _ => schema,
    };

    private JsonObject Define(JsonNode schema)
    {
        var name = $"d{_defs.Count}";
        _defs[name] = schema;
        return new JsonObject { ["$ref"] = $"#/$defs/{name}" };
    }

    /// <summary>A schema the value does not meet (for oneOf: exactly one branch holds).</summary>
    private static JsonObject Other(JsonNode? value) => value?.GetValueKind() == JsonValueKind.False || value?.GetValueKind() == JsonValueKind.True
        ? Json("{'type':'null'}")
        : Json("{'type':'boolean'}");

    private static JsonObject Kind(JsonNode? value) => new()
    {
        ["type"] = value switch
        {
            null => "null",
            JsonObject => "object",
            JsonArray => "array",
            _ => value.GetValueKind() switch { JsonValueKind.String => "string", JsonValueKind.Number => "number", _ => "boolean" },
        },
    };

    private static string? Format(string? name) => name switch
    {
        "date_of_birth" => "date",
        "email" => "email",
        "client_ip" => "ipv4",
        "request_id" => "uuid",
        "created_at" => "date-time",
        _ => null,
    };

    private static string EcmaEscape(string text) =>
        string.Concat(text.Select(c => @"\^$.|?*+()[]{}/-".Contains(c) ? $"\\{c}" : c == '\n' ? "\\n" : c.ToString()));

    private static JsonObject Json(string json) => JsonNode.Parse(json.Replace('\'', '"'))!.AsObject();
}
