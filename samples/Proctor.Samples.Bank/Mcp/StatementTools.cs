using System.ComponentModel;
using System.Text;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Bank.Data;

namespace Proctor.Samples.Bank.Mcp;

[McpServerToolType]
internal sealed class StatementTools(BankLedger ledger)
{
    public const int MaxMonths = 12;

    /// <summary>The whole statement takes about this long, so clients see several progress notifications.</summary>
    private static readonly TimeSpan TotalWork = TimeSpan.FromSeconds(1);

    private static readonly (string Description, int MinCents, int MaxCents)[] Activity =
    [
        ("Payroll deposit", 150_000, 450_000), ("Grocery store", -25_000, -2_000), ("Utility bill", -30_000, -6_000),
        ("ATM withdrawal", -40_000, -2_000), ("Card payment", -150_000, -10_000), ("Online transfer in", 5_000, 90_000),
    ];

    [McpServerTool(Name = "generate_statement", Title = "Generate account statement", ReadOnly = true, OpenWorld = false)]
    [Description("Builds a monthly statement of a customer's checking account for the last N months. Slow (about a "
        + "second); reports progress notifications while it works and stops if the request is cancelled.")]
    public async Task<string> GenerateStatementAsync(
        [Description("The customer id, e.g. C00001.")]
        string customer_id,
        [Description("How many past months to include, 1 to 12.")]
        int months,
        IProgress<ProgressNotificationValue> progress,
        CancellationToken cancellationToken)
    {
        if (months is < 1 or > MaxMonths)
        {
            throw new McpException($"months must be between 1 and {MaxMonths}.");
        }

        var customer = ledger.GetCustomer(customer_id);
        var random = new Random((int)(long.Parse(customer.AccountNumber) % int.MaxValue));
        var statement = new StringBuilder()
            .AppendLine($"Statement for {customer.Name} ({customer.Id})")
            .AppendLine($"Checking account {customer.AccountNumber}, routing {customer.RoutingNumber}");
        var firstMonth = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(1 - months);
        for (var i = 0; i < months; i++)
        {
            await Task.Delay(TotalWork / months, cancellationToken);
            AppendMonth(statement, new DateOnly(firstMonth.Year, firstMonth.Month, 1).AddMonths(i), random);
            progress.Report(new ProgressNotificationValue { Progress = i + 1, Total = months, Message = $"Month {i + 1} of {months}" });
        }

        return statement.AppendLine($"Current balance: {ledger.GetBalance(customer.AccountNumber):N2} {BankLedger.Currency}").ToString();
    }

    private static void AppendMonth(StringBuilder statement, DateOnly month, Random random)
    {
        statement.AppendLine().AppendLine($"{month:yyyy-MM}");
        var daysInMonth = month.AddMonths(1).DayNumber - month.DayNumber;
        var entries = Enumerable.Range(0, random.Next(3, 7))
            .Select(_ =>
            {
                var (description, minCents, maxCents) = Activity[random.Next(Activity.Length)];
                return (Day: month.AddDays(random.Next(daysInMonth)), description, Amount: random.Next(minCents, maxCents) / 100m);
            })
            .OrderBy(entry => entry.Day)
            .ToList();
        foreach (var (day, description, amount) in entries)
        {
            statement.AppendLine($"  {day:yyyy-MM-dd}  {description,-20} {amount,12:N2}");
        }
    }
}
