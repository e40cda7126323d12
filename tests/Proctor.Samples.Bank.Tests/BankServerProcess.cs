using ModelContextProtocol.Client;

namespace Proctor.Samples.Bank.Tests;

/// <summary>Starts this test assembly as a child process (see <see cref="BankServerHost"/>) and connects an MCP client over stdio.</summary>
public sealed class BankServerProcess : IAsyncLifetime
{
    public McpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "bank",
            Command = DotnetHost(),
            Arguments = ["exec", typeof(BankServerHost).Assembly.Location],
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Client = await McpClient.CreateAsync(transport, cancellationToken: timeout.Token);
    }

    public async Task DisposeAsync() => await Client.DisposeAsync();

    /// <summary>The dotnet host running these tests, or the one on PATH when the tests run under an apphost.</summary>
    private static string DotnetHost() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
}
