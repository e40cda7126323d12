using Proctor.Configuration.Binding;
using Proctor.Configuration.Models;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Rules;

/// <summary><c>approvals</c>: a hold clients wait out, and a validity window longer than the hold.</summary>
internal sealed class ApprovalsRule : IConfigurationRule
{
    public void Check(ProctorOptions options, BindingContext context)
    {
        var approvals = options.Approvals;
        if (!context.IsRefused("approvals.holdTime") && approvals.HoldTime > ApprovalSettings.MaxHoldTime)
        {
            context.Add("approvals.holdTime", $"{Seconds(approvals.HoldTime)} is longer than clients wait for a tool call (60 s by default); use at most \"{Seconds(ApprovalSettings.MaxHoldTime)}\", e.g. \"20s\"");
        }

        if (!context.IsRefused("approvals.validity") && !context.IsRefused("approvals.holdTime") && approvals.Validity <= approvals.HoldTime)
        {
            context.Add("approvals.validity", $"{Seconds(approvals.Validity)} is not longer than approvals.holdTime ({Seconds(approvals.HoldTime)}), so a held call's request would expire while it waits; use e.g. \"1h\"");
        }
    }

    private static string Seconds(TimeSpan duration) => $"{duration.TotalSeconds:0.###}s";
}
