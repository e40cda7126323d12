using System.Text.Json.Nodes;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>GET /readyz as a probe (no credentials) or as an auditor (a bearer token), whatever the status.</summary>
internal static class Readyz
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<(int Status, JsonObject Body, string Text)> GetAsync(GatewayUnderTest gateway, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/readyz"));
        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text)!.AsObject(), text);
    }

    /// <summary>The state /readyz shows for one upstream right now.</summary>
    public static async Task<string> StateAsync(GatewayUnderTest gateway, string upstream) =>
        (string)(await GetAsync(gateway)).Body["upstreams"]![upstream]!["state"]!;

    /// <summary>Polls (bounded) until the upstream's state is <paramref name="state"/>; returns the last body.</summary>
    public static async Task<JsonObject> WaitForStateAsync(GatewayUnderTest gateway, string upstream, string state, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var (_, body, text) = await GetAsync(gateway);
            if ((string?)body["upstreams"]?[upstream]?["state"] == state)
            {
                return body;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"/readyz never showed {upstream} {state} within {within.TotalSeconds:0.#} s; last: {text}");
            }

            await Task.Delay(100);
        }
    }
}
