using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ModelContextProtocol;

namespace Proctor.Samples.Conformance.Protocol;

/// <summary>
/// Signs the opaque <c>requestState</c> handed to clients in an InputRequiredResult (SEP-2322):
/// the client echoes it back verbatim, so the server must detect tampering before trusting it.
/// The purpose binds a state to the tool or prompt that issued it, so one cannot be replayed into another.
/// </summary>
internal sealed class RequestStateProtector
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);
    private readonly TimeProvider _time;

    public RequestStateProtector(TimeProvider time) => _time = time;

    public string Protect(string purpose, JsonObject payload)
    {
        var envelope = new JsonObject
        {
            ["purpose"] = purpose,
            ["expires"] = _time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds(),
            ["data"] = payload,
        };
        var bytes = Encoding.UTF8.GetBytes(envelope.ToJsonString());
        return $"{Base64Url.EncodeToString(bytes)}.{Base64Url.EncodeToString(HMACSHA256.HashData(_key, bytes))}";
    }

    public JsonObject Unprotect(string purpose, string state)
    {
        var separator = state.IndexOf('.');
        if (separator <= 0
            || !TryDecode(state[..separator], out var bytes)
            || !TryDecode(state[(separator + 1)..], out var mac)
            || !CryptographicOperations.FixedTimeEquals(mac, HMACSHA256.HashData(_key, bytes)))
        {
            throw Rejected("it failed integrity verification");
        }

        var envelope = JsonNode.Parse(bytes)!.AsObject();
        if ((string?)envelope["purpose"] != purpose)
        {
            throw Rejected($"it was issued for another request than '{purpose}'");
        }

        if ((long?)envelope["expires"] < _time.GetUtcNow().ToUnixTimeSeconds())
        {
            throw Rejected("it has expired");
        }

        return envelope["data"]!.AsObject();
    }

    private static bool TryDecode(string text, out byte[] bytes)
    {
        try
        {
            bytes = Base64Url.DecodeFromChars(text);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    private static McpProtocolException Rejected(string reason) =>
        new($"The requestState was rejected because {reason}.", McpErrorCode.InvalidParams);
}
