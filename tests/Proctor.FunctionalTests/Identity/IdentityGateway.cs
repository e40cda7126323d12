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

    /// <summary>A gateway whose only trusted issuer is <paramref name="provider"/>, with 1 s clock skew.</summary>
    internal static async Task<(GatewayUnderTest Gateway, string Resource)> StartGatewayTrustingAsync(OidcProvider provider)
    {
        var port = Ports.Free();
        var resource = $"http://127.0.0.1:{port}/mcp";
        var gateway = await GatewayUnderTest.StartAsync(
            $$"""
              everything:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
            """,
            $$"""
            identity:
              resource: "{{resource}}"
              issuers: ["{{provider.IssuerIdentifier}}"]
              clockSkew: "1s"
            """,
            port: port);
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
