using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Failures;

/// <summary>
/// Any client can send a body too slowly, or send part of one and walk away, as often as it likes. Each such request
/// must cost the gateway's log a short line, not a 1.4 KB error with a stack trace: at most one warning per kind a
/// minute, the rest at Debug; the slow one is answered 408, and the gateway keeps serving.
/// </summary>
public sealed class ClientFaultLoggingTests
{
    private const int PerKind = 10;

    [Fact]
    public async Task Post_BodiesTooSlowCutShortOrReset_LogOneShortWarningPerKindAndNoStackTrace()
    {
        var log = new CapturedLog();
        await using var gateway = await GatewayUnderTest.StartAsync("  {}", log: log, logLevel: "Debug", beforeStart: QuickBodyTimeout);

        var slow = Enumerable.Range(0, PerKind).Select(_ => SendSlowBodyAsync(gateway.BaseAddress)).ToArray();
        for (var i = 0; i < PerKind; i++)
        {
            await SendTruncatedBodyAsync(gateway.BaseAddress, reset: false);
            await SendTruncatedBodyAsync(gateway.BaseAddress, reset: true);
        }

        var statuses = await Task.WhenAll(slow).WaitAsync(TimeSpan.FromSeconds(10));
        // Every fault logged by the gateway, or (before it handled them) each slow body's unhandled-exception error from Kestrel.
        await Eventually.TrueAsync(() => Lines(log, "[2420]", "[2421]").Count >= 3 * PerKind || Lines(log, "Kestrel[13]").Count >= PerKind, TimeSpan.FromSeconds(10));
        using var http = new HttpClient();
        var healthy = await http.GetAsync(new Uri(gateway.BaseAddress, "/healthz"));

        var loud = log.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)).ToList();
        Assert.All(statuses, status => Assert.StartsWith("HTTP/1.1 408", status, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        Assert.DoesNotContain(loud, l => l.Contains("   at ", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal));
        Assert.InRange(Lines(log, "[2420]").Count, 1, 3);
        Assert.True(loud.Sum(l => l.Length) < 1_500, $"{loud.Sum(l => l.Length)} bytes of warnings and errors for {3 * PerKind} client faults:\n{string.Join('\n', loud)}");
    }

    /// <summary>
    /// Kestrel's minimum body rate (240 B/s) with the shortest grace it accepts: its 1 s heartbeat, plus a little. With
    /// the default 5 s grace the test would wait five times longer for the same answer.
    /// </summary>
    private static void QuickBodyTimeout(Microsoft.AspNetCore.Builder.WebApplication app) =>
        app.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromMilliseconds(1100));

    private static List<string> Lines(CapturedLog log, params string[] markers) =>
        log.Lines.Where(l => markers.Any(m => l.Contains(m, StringComparison.Ordinal))).ToList();

    /// <summary>A body promised at 1,000 bytes and sent a byte every 200 ms; returns the status line the gateway answers.</summary>
    private static async Task<string> SendSlowBodyAsync(Uri gateway)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, gateway.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Headers(gateway)));
        var reading = new StreamReader(stream, Encoding.ASCII).ReadLineAsync();
        for (var i = 0; i < 50 && !reading.IsCompleted; i++)
        {
            try
            {
                await stream.WriteAsync("{"u8.ToArray());
            }
            catch (IOException)
            {
                break; // the gateway closed the connection after answering
            }

            await Task.WhenAny(reading, Task.Delay(200));
        }

        return await reading.WaitAsync(TimeSpan.FromSeconds(5)) ?? "";
    }

    /// <summary>Headers promising 1,000 bytes, 11 of them, then the connection closes (FIN) or is reset (RST).</summary>
    private static async Task SendTruncatedBodyAsync(Uri gateway, bool reset)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, gateway.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Headers(gateway) + "{\"jsonrpc\":"));
        await stream.FlushAsync();
        await Task.Delay(20); // let the gateway start reading the body before the client goes
        if (reset)
        {
            client.Client.LingerState = new LingerOption(true, 0);
        }

        client.Close();
    }

    private static string Headers(Uri gateway) =>
        $"POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:{gateway.Port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n";
}
