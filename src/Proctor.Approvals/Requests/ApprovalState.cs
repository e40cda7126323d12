namespace Proctor.Approvals.Requests;

/// <summary>
/// Where a request is in its life: pending → approved (enough distinct approvers) → used (once); pending → denied;
/// pending or approved → expired. Denied, expired and used are final.
/// </summary>
public enum ApprovalState
{
    Pending,
    Approved,
    Denied,
    Expired,
    Used,
}

public static class ApprovalStates
{
    /// <summary>The lower-case name stores, events and answers use.</summary>
    public static string Name(ApprovalState state) => state switch
    {
        ApprovalState.Pending => "pending",
        ApprovalState.Approved => "approved",
        ApprovalState.Denied => "denied",
        ApprovalState.Expired => "expired",
        _ => "used",
    };

    public static bool TryParse(string name, out ApprovalState state)
    {
        foreach (var candidate in Enum.GetValues<ApprovalState>())
        {
            if (Name(candidate) == name)
            {
                state = candidate;
                return true;
            }
        }

        state = default;
        return false;
    }
}
