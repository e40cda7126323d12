using System.CommandLine;
using Proctor.Approvals.Evidence;
using Proctor.Approvals.Grants;
using Proctor.Cli.Approvals;
using Proctor.Cli.Audit;
using Proctor.Configuration;
using Proctor.Evidence;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Approvals;
using Proctor.Mcp.Pipeline;
using Proctor.Storage.Sqlite.Grants;

namespace Proctor.Cli.Access;

/// <summary>
/// <c>proctor access request|grants|approve|deny|revoke|break-glass</c>: just-in-time grants (docs/access.md, decision
/// 0041). Every verb that acts takes the person's own access token, verified as the gateway verifies callers (decision
/// 0038); every change is a ledger event recorded before it takes effect. A running gateway sees a change within a second.
/// </summary>
internal static class AccessCommand
{
    public static Command Create()
    {
        var command = new Command("access", """
            Just-in-time access. A policy rule with effect grant lets its subjects use its tools only while they
            hold an active grant: ask for one (request), someone else in the rule's approver groups approves it,
            and it works from then until it expires or is revoked. Members of the breakglass role may take one
            alone in an emergency (break-glass), which alerts at once and opens a review ('proctor reviews').
            """);
        command.Subcommands.Add(RequestAccessCommand.Create(breakGlass: false));
        command.Subcommands.Add(ListGrantsCommand.Create());
        command.Subcommands.Add(DecideGrantCommand.Create(DecideGrantCommand.Verb.Approve));
        command.Subcommands.Add(DecideGrantCommand.Create(DecideGrantCommand.Verb.Deny));
        command.Subcommands.Add(DecideGrantCommand.Create(DecideGrantCommand.Verb.Revoke));
        command.Subcommands.Add(RequestAccessCommand.Create(breakGlass: true));
        return command;
    }

    public static Option<string> TokenOption(string who) => new("--token") { Description = $"Your access token from the identity provider (the same kind MCP clients send): it says who {who}.", Required = true };

    /// <summary>
    /// Reads the configuration, verifies the token (holding <paramref name="role"/> when not null), opens the ledger and the
    /// grants desk, and runs <paramref name="action"/> with them; returns its exit code, or why it could not run.
    /// </summary>
    public static async Task<int> RunAsync(FileInfo config, string token, string? role, string act, bool withPolicy,
        Func<ApproverSections, Caller, GrantDesk, ApprovalActor, Task<int>> action, CancellationToken cancellationToken)
    {
        if (Locate(config, withPolicy) is not { } sections)
        {
            return ExitCodes.BadConfiguration;
        }

        if (sections.Identity is not { } identity)
        {
            Console.Error.WriteLine("error: the configuration has no identity section, so nobody can be verified; grants need identity (docs/access.md).");
            return ExitCodes.BadConfiguration;
        }

        if (await PersonTokens.VerifyAsync(identity, token, role, act, cancellationToken).ConfigureAwait(false) is not { } person)
        {
            return ExitCodes.Failure;
        }

        await using var store = await GatewayData.OpenLedgerAsync(sections.Storage, cancellationToken).ConfigureAwait(false);
        if (store is null)
        {
            return ExitCodes.BadConfiguration;
        }

        await using var ledger = new AuditLedger(store);
        var access = sections.Access;
        await using var notices = CliNotices.Open(config, PersonTokens.BuiltInMasking());
        var recorder = new NotifyingGrantRecorder(new GrantEvents(ledger, Environment.MachineName, TimeProvider.System), notices, TimeProvider.System);
        var desk = new GrantDesk(Store(sections), recorder, TimeProvider.System,
            new GrantLimits(access.MaxDuration, access.BreakGlassMaxDuration, access.RequestValidity));
        try
        {
            return await action(sections, person, desk, GrantRequests.Actor(person, "cli", ConfiguredLedger.Operator().Subject)).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}; nothing was changed.");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The storage, identity, approvals and access sections (and the policy when asked), or null after printing why not.</summary>
    public static ApproverSections? Locate(FileInfo config, bool withPolicy = false)
    {
        if (!config.Exists)
        {
            Console.Error.WriteLine($"error: configuration file '{config.FullName}' does not exist; pass the gateway's configuration with --config.");
            return null;
        }

        var (sections, errors) = ConfigurationLoader.LoadApproverSections(config.FullName, GatewayData.ProcessEnvironment(), withPolicy);
        if (sections is null)
        {
            GatewayData.ReportErrors(config, errors);
        }

        return sections;
    }

    public static SqliteGrantStore Store(ApproverSections sections) => new(sections.Storage.Path);

    public static int Refused(Proctor.Approvals.Rules.ApprovalRefusal refusal)
    {
        Console.Error.WriteLine($"error: {refusal.Message}");
        return ExitCodes.Failure;
    }

    public static string Until(AccessGrant grant) => grant.ExpiresAt is { } end ? $"{end.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC" : "-";
}
