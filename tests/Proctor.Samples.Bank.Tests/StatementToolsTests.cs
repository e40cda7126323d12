using ModelContextProtocol;
using Proctor.Samples.Bank.Mcp;

namespace Proctor.Samples.Bank.Tests;

public sealed class StatementToolsTests : IDisposable
{
    private readonly TestBank _bank = new();

    public void Dispose() => _bank.Dispose();

    [Fact]
    public async Task GenerateStatement_CancelledToken_StopsWithCancellation()
    {
        var tools = new StatementTools(_bank.Ledger);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            tools.GenerateStatementAsync("C00001", 12, new Progress<ProgressNotificationValue>(), new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task GenerateStatement_MonthsOutOfRange_IsRefused()
    {
        var tools = new StatementTools(_bank.Ledger);

        await Assert.ThrowsAsync<McpException>(() =>
            tools.GenerateStatementAsync("C00001", 13, new Progress<ProgressNotificationValue>(), CancellationToken.None));
    }
}
