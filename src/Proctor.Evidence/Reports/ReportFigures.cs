namespace Proctor.Evidence.Reports;

/// <summary>The period's figures, as summary.json states them and the HTML report quotes them.</summary>
public sealed record ReportFigures(
    long EventsIncluded,
    long EventsWithheld,
    int Identities,
    int Sessions,
    long Calls,
    long BytesReturned,
    long ItemsReturned,
    long EntitiesMasked,
    int Approvals,
    int ApprovalsWhereApproverIsRequester,
    int Grants,
    int GrantsSelfApproved,
    long CallsUnderGrants,
    int BreakGlassUses,
    int BreakGlassReviewsOpen,
    long Denials,
    int PolicyVersions,
    int RefusedPolicyLoads,
    int IdentitiesWithoutAmr);
