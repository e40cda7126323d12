using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Proctor.Http.Identity;

namespace Proctor.Http.Api;

/// <summary>
/// The ledger-reader policy (<see cref="LedgerReaderRequirement"/>) asked for in code, where an endpoint needs it only
/// sometimes: <c>/readyz</c> shows reasons to an auditor, and refuses a credential that does not qualify as <c>/api</c> does.
/// </summary>
internal sealed class ApiAccess(IAuthorizationPolicyProvider policies, IPolicyEvaluator evaluator)
{
    /// <summary>True when the caller may read the ledger; false after writing the refusal.</summary>
    public async Task<bool> AuthorizeReadAsync(HttpContext context)
    {
        var policy = (await policies.GetPolicyAsync(AdmissionPolicies.LedgerReader).ConfigureAwait(false))!;
        var authenticated = await evaluator.AuthenticateAsync(policy, context).ConfigureAwait(false);
        var authorized = await evaluator.AuthorizeAsync(policy, authenticated, context, context).ConfigureAwait(false);
        if (authorized.Succeeded)
        {
            return true;
        }

        await AdmissionResultHandler.RefuseAsync(context).ConfigureAwait(false);
        return false;
    }
}
