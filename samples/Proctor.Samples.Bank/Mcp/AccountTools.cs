using System.ComponentModel;
using ModelContextProtocol.Server;
using Proctor.Samples.Bank.Data;

namespace Proctor.Samples.Bank.Mcp;

[McpServerToolType]
internal sealed class AccountTools(BankLedger ledger)
{
    [McpServerTool(Name = "get_account_balance", Title = "Get account balance", ReadOnly = true, OpenWorld = false,
        UseStructuredContent = true)]
    [Description("Returns the current balance and currency of a checking account.")]
    public AccountBalance GetAccountBalance(
        [Description("The checking account number, 10 to 12 digits.")]
        string account_number) =>
        new(account_number, ledger.GetBalance(account_number), BankLedger.Currency);

    [McpServerTool(Name = "transfer_funds", Title = "Transfer funds", ReadOnly = false, Destructive = true,
        Idempotent = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("HIGH RISK: moves money between two checking accounts of this bank, immediately and irreversibly. "
        + "The amount must be positive, in dollars and cents, and no more than the source account's balance. "
        + "Returns a confirmation id.")]
    public TransferReceipt TransferFunds(
        [Description("The account number to debit.")]
        string from_account,
        [Description("The account number to credit.")]
        string to_account,
        [Description("The amount in US dollars, e.g. 250.00.")]
        decimal amount,
        [Description("A short note recorded with the transfer, e.g. 'rent March'.")]
        string memo = "") =>
        ledger.Transfer(from_account, to_account, amount, memo);
}

internal sealed record AccountBalance(string AccountNumber, decimal Balance, string Currency);
