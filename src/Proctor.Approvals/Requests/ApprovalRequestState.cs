using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Proctor.Approvals.Requests;

/// <summary>
/// The <c>requestState</c> a 2026-07-28 caller echoes while its call waits for approval (decision 0042). The spec treats
/// it as attacker-controlled input (basic/patterns/mrtr, server requirements 4 and 5): this one is integrity-protected
/// with HMAC-SHA-256 under a key of the gateway's own, and the tag covers the call's whole <see cref="CallBinding"/>
/// (caller, server, tool, arguments digest, policy hash, rule) without the state carrying any of it. A state shown on
/// another call, by another caller, after a policy change, under another key or with any byte changed fails the tag;
/// the expiry inside is checked only after the tag, so it cannot be extended. The visible part holds only the approval
/// id (already in the status URL), the round and the expiry; the arguments digest never leaves the gateway (0037).
/// </summary>
/// <remarks>
/// Not single-use, on purpose: a replayed state only makes the gateway look at the approval again, and the approval
/// itself is spent once by the store's compare-and-set (0037), so a replay can never run the call a second time.
/// </remarks>
public sealed class ApprovalRequestState
{
    /// <summary>Every state this gateway issues starts so; any other <c>requestState</c> belongs to an upstream and passes by.</summary>
    public const string Prefix = "proctor-approval.1.";

    private readonly byte[] _key;

    /// <param name="key">The gateway's secret, at least 32 bytes, the same across restarts (a restart must not break a waiting client).</param>
    public ApprovalRequestState(ReadOnlySpan<byte> key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException($"The request state key is {key.Length} bytes; it needs at least 32.", nameof(key));
        }

        _key = key.ToArray();
    }

    public static bool IsOurs(string? state) => state is not null && state.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The state for <paramref name="claims"/> on the call <paramref name="binding"/>.</summary>
    public string Protect(RequestStateClaims claims, CallBinding binding)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("a", claims.ApprovalId);
            writer.WriteString("p", RoundName(claims.Round));
            writer.WriteNumber("e", claims.ExpiresAt.ToUnixTimeSeconds());
            writer.WriteEndObject();
        }

        var payload = Base64Url(buffer.WrittenSpan.ToArray());
        return $"{Prefix}{payload}.{Base64Url(Tag(payload, binding))}";
    }

    /// <summary>The claims of <paramref name="state"/> when it was issued by this gateway for exactly <paramref name="binding"/> and has not expired at <paramref name="now"/>.</summary>
    public RequestStateCheck Verify(string state, CallBinding binding, DateTimeOffset now)
    {
        if (!IsOurs(state) || state[Prefix.Length..].Split('.') is not [var payload, var tag] || !TryBase64Url(tag, out var presented) || !TryBase64Url(payload, out var json))
        {
            return RequestStateCheck.Fail(RequestStateProblem.Malformed);
        }

        if (!CryptographicOperations.FixedTimeEquals(presented, Tag(payload, binding)))
        {
            return RequestStateCheck.Fail(RequestStateProblem.NotForThisCall);
        }

        if (!TryClaims(json, out var claims))
        {
            return RequestStateCheck.Fail(RequestStateProblem.Malformed); // our tag over content we could not have written: a bug, fail closed
        }

        return now >= claims.ExpiresAt ? RequestStateCheck.Fail(RequestStateProblem.Expired) : new RequestStateCheck(claims, null);
    }

    /// <summary>HMAC over the payload and each binding member, each length-prefixed so that no two bindings can be written alike.</summary>
    private byte[] Tag(string payload, CallBinding binding)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in (ReadOnlySpan<string>)[payload, binding.Identity, binding.Server, binding.Tool, binding.ArgumentsDigest, binding.PolicyHash, binding.Rule])
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hmac.AppendData(length);
            hmac.AppendData(bytes);
        }

        return hmac.GetHashAndReset();
    }

    private static bool TryClaims(byte[] json, out RequestStateClaims claims)
    {
        claims = null!;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var id = root.GetProperty("a") is { ValueKind: JsonValueKind.String } a ? a.GetString() : null;
            if (RoundOf(root.GetProperty("p").GetString()) is not { } round || !root.GetProperty("e").TryGetInt64(out var expires))
            {
                return false;
            }

            claims = new RequestStateClaims(id, round, DateTimeOffset.FromUnixTimeSeconds(expires));
            return true;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    private static string RoundName(RequestStateRound round) => round switch
    {
        RequestStateRound.Justification => "justify",
        RequestStateRound.StatusPage => "url",
        RequestStateRound.Waiting => "wait",
        _ => throw new ArgumentOutOfRangeException(nameof(round), round, "not a round of the approval flow"),
    };

    private static RequestStateRound? RoundOf(string? name) => name switch
    {
        "justify" => RequestStateRound.Justification,
        "url" => RequestStateRound.StatusPage,
        "wait" => RequestStateRound.Waiting,
        _ => null,
    };

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64Url(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.AsSpan().ContainsAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
        {
            return false;
        }

        var padded = text.Replace('-', '+').Replace('_', '/') + (text.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
        try
        {
            bytes = Convert.FromBase64String(padded);
            return Base64Url(bytes) == text; // one spelling per state: unused low bits in the last character are not a second one
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>Which round of the approval flow the caller is answering.</summary>
public enum RequestStateRound
{
    /// <summary>It was asked for a justification (form elicitation); no request exists yet.</summary>
    Justification,

    /// <summary>It was shown the approval's status page (URL elicitation) and has not answered yet.</summary>
    StatusPage,

    /// <summary>It accepted the status page: a retry waits for the decision (held up to <c>approvals.holdTime</c>).</summary>
    Waiting,
}

/// <summary>What a state says once verified: the approval it waits on (none in the justification round), the round, and until when it is good.</summary>
public sealed record RequestStateClaims(string? ApprovalId, RequestStateRound Round, DateTimeOffset ExpiresAt);

public enum RequestStateProblem
{
    /// <summary>Not a state this gateway writes (cut, re-encoded, or not ours at all).</summary>
    Malformed,

    /// <summary>The tag does not match: altered, issued under another key, or issued for another call, caller or policy.</summary>
    NotForThisCall,

    /// <summary>Genuine, for this call, but past its expiry.</summary>
    Expired,
}

public sealed record RequestStateCheck(RequestStateClaims? Claims, RequestStateProblem? Problem)
{
    public static RequestStateCheck Fail(RequestStateProblem problem) => new(null, problem);

    public string Explain() => Problem switch
    {
        RequestStateProblem.Malformed => "it is not a request state this gateway wrote (cut or altered)",
        RequestStateProblem.NotForThisCall => "it was altered, written by another gateway, or written for another call (another caller, server, tool, arguments or policy)",
        RequestStateProblem.Expired => "it has expired",
        _ => "it is valid",
    };
}
