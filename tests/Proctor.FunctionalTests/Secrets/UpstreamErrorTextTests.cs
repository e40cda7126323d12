using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Secrets;

/// <summary>
/// Issue 9, class 4 (decision 0016): what an upstream says when it refuses <c>initialize</c> can quote the
/// credential the gateway sent and customer data. /readyz without credentials shows states and codes only;
/// an auditor sees the reason masked; callers and the log get it masked; the secret and the SSN appear nowhere.
/// </summary>
public sealed class UpstreamErrorTextTests
{
    private const string HttpCanary = "refused-http-canary-8d13f0";
    private const string StdioCanary = "refused-stdio-canary-2b77c4";
    private const string Ssn = "514-24-1098";

    [Fact]
    public async Task UpstreamRefusesInitializeQuotingSecretAndSsn_NeitherReachesReadyzCallersNorTheLog()
    {
        await using var provider = await OidcProvider.StartAsync();
        await using var server = await StressServer.StartAsync("--refuse-initialize");
        var port = Ports.Free();
        var resource = $"http://127.0.0.1:{port}/mcp";
        var log = new CapturedLog();
        await using var gateway = await GatewayUnderTest.StartAsync(
            $$"""
              refusing-http:
                url: "{{server.Url}}"
                headers: { Authorization: "Bearer ${env:HTTP_CANARY}" }
              refusing-stdio:
                command: "node"
                args: ["{{StressServer.Script}}", "stdio", "--refuse-initialize"]
                env: { SECRET_TOKEN: "${env:STDIO_CANARY}" }
            """,
            $$"""
            identity:
              resource: "{{resource}}"
              issuers: ["{{provider.IssuerIdentifier}}"]
              roles:
                auditor: ["auditors"]
            """,
            environment: new Dictionary<string, string> { ["HTTP_CANARY"] = HttpCanary, ["STDIO_CANARY"] = StdioCanary },
            log: log,
            logLevel: "Trace",
            port: port);
        await Readyz.WaitForStateAsync(gateway, "refusing-http", "down", TimeSpan.FromSeconds(20));
        await Readyz.WaitForStateAsync(gateway, "refusing-stdio", "down", TimeSpan.FromSeconds(20));

        var (_, anonymous, anonymousText) = await Readyz.GetAsync(gateway);
        var (auditorStatus, auditor, auditorText) = await Readyz.GetAsync(gateway, await provider.TokenAsync("auditor", resource));
        var (analystStatus, _, _) = await Readyz.GetAsync(gateway, await provider.TokenAsync("analyst", resource));
        var analyst = new Dictionary<string, string> { ["Authorization"] = $"Bearer {await provider.TokenAsync("analyst", resource)}" };
        var (_, refused) = await RawMcp.PostAsync(gateway.Mcp("refusing-http"), """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", analyst);
        var callerText = refused!.ToJsonString();

        foreach (var name in new[] { "refusing-http", "refusing-stdio" })
        {
            Assert.Equal("handshake_failed", (string)anonymous["upstreams"]![name]!["reasonCode"]!);
            Assert.Null(anonymous["upstreams"]![name]!["reason"]);
            Assert.Contains("initialize refused", (string)auditor["upstreams"]![name]!["reason"]!, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("initialize refused", anonymousText, StringComparison.Ordinal);
        Assert.Equal(503, auditorStatus);
        Assert.Equal(403, analystStatus); // a bearer without the auditor or admin role sees no details
        Assert.Contains("[GATEWAY_SECRET]", auditorText, StringComparison.Ordinal);
        Assert.Contains("1098", auditorText, StringComparison.Ordinal); // masked, keeping the last four
        Assert.Contains("initialize refused", callerText, StringComparison.Ordinal);
        var everywhere = string.Join('\n', [anonymousText, auditorText, callerText, .. log.Lines]);
        foreach (var planted in new[] { HttpCanary, StdioCanary, Ssn })
        {
            Assert.DoesNotContain(planted, everywhere, StringComparison.Ordinal);
        }
    }
}
