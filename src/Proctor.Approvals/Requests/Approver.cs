namespace Proctor.Approvals.Requests;

/// <summary>
/// Someone acting on a request, as the surface they act through verified them (a bearer token on REST and in the CLI).
/// </summary>
/// <param name="Identity">Issuer and subject together, compared with the requester's <see cref="CallBinding.Identity"/>.</param>
/// <param name="Subject">The subject, as approvers and examiners read it.</param>
/// <param name="Groups">The identity provider's groups, compared with the request's approver groups.</param>
public sealed record Approver(string Identity, string Subject, IReadOnlyList<string> Groups);

/// <summary>One approver's approval or denial.</summary>
/// <param name="Via">Where it was given: <c>rest</c> or <c>cli</c>.</param>
public sealed record ApprovalVote(string Identity, string Subject, DateTimeOffset At, string? Comment, string Via);
