using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Identity;

/// <summary>A real OpenID provider and a gateway that trusts it, with server-everything behind it.</summary>
public sealed class IdentityGateway : IAsyncLifetime
{
    internal OidcProvider Provider { get; private set; } = null!;

    internal GatewayUnderTest Gateway { get; private set; } = null!;

    /// <summary>The gateway's canonical URI: the audience its tokens must carry.</summary>
    internal string Resource { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        Provider = await OidcProvider.StartAsync();
        (Gateway, Resource) = await StartGatewayTrustingAsync(Provider);
    }

    /// <summary>
    /// A gateway whose only trusted issuer is <paramref name="provider"/>, in front of <paramref name="upstreams"/>
    /// (server-everything when null). <paramref name="identitySetting"/> is one more line of <c>identity:</c>;
    /// <paramref name="sections"/> are further top-level sections (e.g. <c>storage:</c>), ending in a newline.
    /// <paramref name="log"/> captures every line logged at <paramref name="logLevel"/> or above; <paramref name="issuers"/>
    /// replaces the trusted issuers (YAML flow items, quoted); <paramref name="time"/> is the gateway's clock; <paramref name="port"/>
    /// is its port when the provider must know it first (a browser client's redirect URI).
    /// </summary>
    internal static async Task<(GatewayUnderTest Gateway, string Resource)> StartGatewayTrustingAsync(
        OidcProvider provider, string? upstreams = null, string identitySetting = "clockSkew: \"1s\"", string sections = "", CapturedLog? log = null, string logLevel = "Warning", string? issuers = null, TimeProvider? time = null, int? port = null)
    {
        port ??= Ports.Free();
        var resource = $"http://127.0.0.1:{port}/mcp";
        var gateway = await GatewayUnderTest.StartAsync(
            upstreams ?? $$"""
              everything:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
            """,
            $$"""
            {{sections}}identity:
              resource: "{{resource}}"
              issuers: [{{issuers ?? $"\"{provider.IssuerIdentifier}\""}}]
              {{identitySetting}}
            """,
            log: log,
            logLevel: logLevel,
            port: port,
            time: time);
        return (gateway, resource);
    }

    internal Task<string> TokenAsync(string client = "analyst") => Provider.TokenAsync(client, Resource);

    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Provider.DisposeAsync();
    }
}

[CollectionDefinition(nameof(IdentityCollection))]
public sealed class IdentityCollection : ICollectionFixture<IdentityGateway>;
