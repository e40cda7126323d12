using System.CommandLine;
using Proctor.Samples.Bank;

namespace Proctor.Cli;

/// <summary>
/// <c>proctor sample bank-server</c>: the synthetic bank MCP server over stdio, shipped inside the one
/// binary so that <c>proctor demo</c> and its generated configuration need nothing else installed.
/// </summary>
internal static class SampleCommand
{
    public static Command Create()
    {
        var seed = new Option<int>("--seed") { Description = "Seed for the synthetic customers.", DefaultValueFactory = _ => 42 };
        var customers = new Option<int>("--customers") { Description = "How many synthetic customers.", DefaultValueFactory = _ => 200 };
        var bank = new Command("bank-server", "Serve the synthetic bank MCP server on stdio (used by 'proctor demo').") { seed, customers };
        bank.SetAction(async (result, cancellationToken) =>
        {
            await BankServer.RunStdioAsync(new BankServerOptions { Seed = result.GetValue(seed), CustomerCount = result.GetValue(customers) }, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return new Command("sample", "Sample MCP servers for demos and tests.") { bank };
    }
}
