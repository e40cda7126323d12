using Proctor.Configuration.Models;

namespace Proctor.Notifications.Notices;

/// <summary>
/// Something a person should know or act on: an approval or grant requested or decided, a break-glass opened, a
/// review waiting (<see cref="NoticeKinds"/>). Independent of the approvals model: the code that owns the event fills
/// it and hands it to <see cref="INoticeSink.Publish"/>.
/// <para>
/// <see cref="Summary"/> MUST already be masked by the caller (as for storage: no audience, every rule masks); the
/// notifier masks it again before it leaves, and nothing else in a notice is free text. The other values are
/// identifiers the ledger records as they are (subjects, configured server names, tool names, rule ids).
/// </para>
/// </summary>
/// <param name="Kind">One of <see cref="NoticeKinds"/>.</param>
/// <param name="Id">The approval, grant or review id the notice is about; the same id the ledger and <c>/api</c> use.</param>
/// <param name="OccurredAt">When the event happened (the gateway's clock), not when the notice is sent.</param>
/// <param name="Requester">The subject of the identity that asked (<c>alice@bank.example</c>, <c>agent:nightly-recon</c>).</param>
/// <param name="Server">The upstream the request is for.</param>
/// <param name="Tool">The tool, or null when the request covers a scope rather than one tool (a grant).</param>
/// <param name="Summary">A short description, already masked (<c>transfer_funds: amount 25000 USD to account ****6789</c>).</param>
/// <param name="RuleId">The policy rule that asked for approval, or null.</param>
/// <param name="ActPath">
/// Where an approver acts, as a path on the gateway's public address (<c>/api/approvals/apr_123</c>): the notice's
/// link is <c>notifications.publicUrl</c> followed by it. Absolute, starting with one <c>/</c>; no scheme or host.
/// </param>
public sealed record GatewayNotice(
    string Kind,
    string Id,
    DateTimeOffset OccurredAt,
    string Requester,
    string Server,
    string? Tool,
    string Summary,
    string? RuleId,
    string ActPath)
{
    /// <summary>Who acted, for decisions, revocations and closed reviews (the approver); null for requests and expiries.</summary>
    public string? Actor { get; init; }
}
