using System.Net;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Api;

/// <summary>A gateway without an identity section serves MCP anonymously, but never the ledger: the API fails closed.</summary>
public sealed class ExaminerApiWithoutIdentityTests
{
    [Theory]
    [InlineData("/api/sessions")]
    [InlineData("/api/audit/checkpoint")]
    [InlineData("/api/audit/verify")]
    public async Task Api_WithoutIdentityConfigured_RefusesEveryone_SayingIdentityMustBeConfigured(string path)
    {
        await using var gateway = await GatewayUnderTest.StartAsync("");
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(gateway.BaseAddress, path));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("identity_not_configured", (string)body["error"]!);
        Assert.Contains("Configure identity and identity.roles", (string)body["message"]!, StringComparison.Ordinal);
    }
}
