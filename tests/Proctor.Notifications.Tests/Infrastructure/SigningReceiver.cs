using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Proctor.Notifications.Tests.Infrastructure;

/// <summary>
/// A real webhook receiver (Kestrel on 127.0.0.1, a port the system picks) that checks each notice the way
/// docs/notifications.md tells platform teams to: timestamp within five minutes, HMAC-SHA256 over the timestamp, a
/// dot and the raw body, compared in constant time, and idempotency keys remembered to drop duplicates. It answers
/// 503 to the first <c>failFirst</c> notices it would accept, 401 to a bad signature, and 307 on <c>/moved</c>.
/// </summary>
internal sealed class SigningReceiver : IAsyncDisposable
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private readonly WebApplication _app;
    private readonly byte[] _secret;
    private readonly ConcurrentDictionary<string, byte> _seen = new();
    private int _failuresLeft;

    private SigningReceiver(WebApplication app, string secret, int failFirst)
    {
        _app = app;
        _secret = Encoding.UTF8.GetBytes(secret);
        _failuresLeft = failFirst;
        app.MapPost("/hook", (Delegate)Receive);
        app.MapPost("/moved", (HttpContext context) => Results.Redirect("/hook", permanent: false, preserveMethod: true));
    }

    public Uri Url => new(Address + "/hook");

    public string Address { get; private set; } = "";

    /// <summary>Every POST to /hook: its headers, body and what the receiver answered.</summary>
    public ConcurrentQueue<(IReadOnlyDictionary<string, string> Headers, byte[] Body, int Status)> Attempts { get; } = new();

    /// <summary>Notices taken (valid, first time seen).</summary>
    public ConcurrentQueue<byte[]> Accepted { get; } = new();

    public static async Task<SigningReceiver> StartAsync(string secret, int failFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = new SigningReceiver(builder.Build(), secret, failFirst);
        await receiver._app.StartAsync();
        receiver.Address = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    /// <summary>The receiver's check, as the documentation writes it.</summary>
    public bool Verifies(string? timestamp, string? signature, byte[] body, DateTimeOffset now)
    {
        if (timestamp is null || signature is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return false;
        }

        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(_secret, (byte[])[.. Encoding.ASCII.GetBytes(timestamp + "."), .. body]));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task<IResult> Receive(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var status = Judge(headers, body);
        Attempts.Enqueue((headers, body, status));
        return Results.StatusCode(status);
    }

    private int Judge(Dictionary<string, string> headers, byte[] body)
    {
        if (!Verifies(headers.GetValueOrDefault("X-Proctor-Timestamp"), headers.GetValueOrDefault("X-Proctor-Signature"), body, DateTimeOffset.UtcNow))
        {
            return StatusCodes.Status401Unauthorized;
        }

        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            return StatusCodes.Status503ServiceUnavailable;
        }

        if (_seen.TryAdd(headers.GetValueOrDefault("Idempotency-Key") ?? "", 0))
        {
            Accepted.Enqueue(body);
        }

        return StatusCodes.Status200OK;
    }
}
