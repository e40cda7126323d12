using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Api;

/// <summary>
/// A real OpenID provider, and a gateway that trusts it with the sample bank behind it and the auditor role
/// granted to the group <c>auditors</c>; the analyst (alice) has made three bank calls in one session.
/// </summary>
public sealed class ExaminerApiGateway : IAsyncLifetime
{
    internal OidcProvider Provider { get; private set; } = null!;

    internal GatewayUnderTest Gateway { get; private set; } = null!;

    internal HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    private string _resource = "";

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        Provider = await OidcProvider.StartAsync();
        var port = Ports.Free();
        _resource = $"http://127.0.0.1:{port}/mcp";
        Gateway = await GatewayUnderTest.StartAsync(
            $"""
              bank:
                command: dotnet
                args: ["{Peers.ProctorDll}", "sample", "bank-server"]
            """,
            $$"""
            identity:
              resource: "{{_resource}}"
              issuers: ["{{Provider.IssuerIdentifier}}"]
              clockSkew: "1s"
              roles:
                auditor: ["auditors"]
            """,
            port: port,
            storageKeys: "lockTimeout: \"1s\""); // reads refused while the ledger is locked wait out the lock timeout

        await using (var client = await Clients.ConnectAsync(Gateway.Mcp("bank"), "2025-11-25", bearer: await TokenAsync("analyst")))
        {
            await client.CallToolAsync("search_customers", new Dictionary<string, object?> { ["query"] = "a", ["limit"] = 3 });
            await client.CallToolAsync("get_customer", new Dictionary<string, object?> { ["customer_id"] = "NO-SUCH-ID" });
            await client.CallToolAsync("get_account_balance", new Dictionary<string, object?> { ["account_number"] = "000" });
        }

        await SessionClosedAsync();
    }

    /// <summary>The close is recorded after the client's DELETE returns; the tests read the session whole.</summary>
    private async Task SessionClosedAsync()
    {
        for (var i = 0; i < 200 && (await Evidence.StoredEvents.OfKindAsync(Gateway.DatabasePath, "session.close")).Count == 0; i++)
        {
            await Task.Delay(50);
        }
    }

    internal Task<string> TokenAsync(string client) => Provider.TokenAsync(client, _resource);

    /// <summary>GET <paramref name="path"/> with <paramref name="bearer"/> (none when null).</summary>
    internal async Task<HttpResponseMessage> GetAsync(string path, string? bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway.BaseAddress, path));
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }

        return await Http.SendAsync(request);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Gateway.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
