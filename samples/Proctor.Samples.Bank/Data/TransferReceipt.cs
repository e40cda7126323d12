namespace Proctor.Samples.Bank.Data;

internal sealed record TransferReceipt(
    string ConfirmationId,
    string FromAccount,
    string ToAccount,
    decimal Amount,
    string Currency,
    string Memo,
    decimal FromAccountBalance);
