namespace Proctor.Samples.Bank.Tests;

/// <summary>The entry point of this assembly when the end-to-end tests start it as a child process.</summary>
internal static class BankServerHost
{
    public static Task Main() =>
        BankServer.RunStdioAsync(new BankServerOptions { CustomerCount = 50 }, CancellationToken.None);
}
