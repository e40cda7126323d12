using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Bank.Data;
using Proctor.Samples.Bank.Mcp;

namespace Proctor.Samples.Bank;

/// <summary>
/// A sample "bank" MCP server with synthetic customers, used by <c>proctor demo</c> and the tests.
/// Tools: search_customers, get_customer, get_account_balance, transfer_funds, run_sql, generate_statement;
/// resource template bank://customers/{id}; prompt investigate_customer.
/// </summary>
public static class BankServer
{
    /// <summary>Serves MCP on stdin/stdout until the client disconnects or <paramref name="ct"/> is cancelled.
    /// Only protocol messages go to stdout; diagnostics go to stderr.</summary>
    public static async Task RunStdioAsync(BankServerOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CustomerCount, 1, nameof(options.CustomerCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.CustomerCount, BankServerOptions.MaxCustomerCount, nameof(options.CustomerCount));

        var customers = CustomerGenerator.Generate(options.Seed, options.CustomerCount);
        var services = new ServiceCollection();
        services.AddSingleton(_ => new BankDatabase(customers));
        services.AddSingleton(provider => new BankLedger(customers, provider.GetRequiredService<BankDatabase>()));
        services
            .AddMcpServer(server => server.ServerInfo = new Implementation { Name = "proctor-sample-bank", Version = "1.0.0" })
            .WithStdioServerTransport()
            .WithTools<CustomerTools>(BankJson.Options)
            .WithTools<AccountTools>(BankJson.Options)
            .WithTools<SqlTools>(BankJson.Options)
            .WithTools<StatementTools>(BankJson.Options)
            .WithResources<CustomerResources>()
            .WithPrompts<BankPrompts>(BankJson.Options);

        await using var provider = services.BuildServiceProvider();
        var mcpServer = provider.GetRequiredService<McpServer>();
        await Console.Error.WriteLineAsync(
            $"proctor sample bank: {customers.Count} synthetic customers (seed {options.Seed}), serving MCP on stdio");
        await mcpServer.RunAsync(ct);
    }
}
