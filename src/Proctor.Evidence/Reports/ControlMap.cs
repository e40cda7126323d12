namespace Proctor.Evidence.Reports;

/// <summary>
/// Each examiner expectation the package answers (docs/evidence.md, the shared control → artifact table), the files
/// that answer it, and the period's figures that bear on it. Expectations are paraphrased, not quoted.
/// </summary>
internal static class ControlMap
{
    public static IReadOnlyList<ControlEvidence> For(ReportFigures f, ReportSettings settings) =>
    [
        new("FFIEC IS II.C.7", "User security controls: access follows least privilege, privileged access is approved by someone other than the user and reviewed.",
            ["reports/access.json", "events.jsonl"],
            [
                new("identities seen", f.Identities.ToString()),
                new("per-call approvals", f.Approvals.ToString()),
                new("approvals where an approver was the requester", f.ApprovalsWhereApproverIsRequester.ToString()),
                new("just-in-time grants", f.Grants.ToString()),
                new("grants approved or reviewed by their holder or requester", f.GrantsSelfApproved.ToString()),
                new("break-glass uses", f.BreakGlassUses.ToString()),
                new("break-glass reviews still open", f.BreakGlassReviewsOpen.ToString()),
            ]),
        new("FFIEC IS II.C.15", "Logical security and remote access: access rights enforced by policy, denials recorded, every remote session logged with who, when, from where and what was done.",
            ["reports/access.json", "reports/sessions/", "events.jsonl"],
            [
                new("sessions", f.Sessions.ToString()),
                new("calls", f.Calls.ToString()),
                new("denials", f.Denials.ToString()),
                new("policy versions in force", f.PolicyVersions.ToString()),
                new("refused policy reloads", f.RefusedPolicyLoads.ToString()),
            ]),
        new("FFIEC IS II.C.22", "Log management: logs are protected from change, access to them is controlled, retention is set by policy.",
            ["manifest.note", "tree.json", "checkpoints.json", "leaves.txt", "verifier.key"],
            [
                new("events included", f.EventsIncluded.ToString()),
                new("events withheld (represented by leaf hashes)", f.EventsWithheld.ToString()),
                new("payload retention", settings.Retention ?? "none set: payloads are kept until an operator purges them"),
            ]),
        new("FFIEC IS III.B", "Threat monitoring, including data exfiltration: what data left, per identity and server.",
            ["reports/data-left.json", "reports/masking.json"],
            [
                new("bytes returned to callers", f.BytesReturned.ToString()),
                new("items returned", f.ItemsReturned.ToString()),
                new("entities masked", f.EntitiesMasked.ToString()),
            ]),
        new("FFIEC authentication guidance (2021)", "Risk-based, multi-factor authentication for privileged and remote access: issuer, authentication methods (amr) and time kept per caller.",
            ["reports/access.json", "events.jsonl"],
            [
                new("identities seen", f.Identities.ToString()),
                new("identities with no amr recorded", f.IdentitiesWithoutAmr.ToString()),
            ]),
        new("NIST SP 800-53 AU-9", "Protection of audit information: a Merkle-tree log with signed checkpoints, verifiable offline.",
            ["tree.json", "checkpoints.json", "leaves.txt", "verifier.key", "manifest.note"],
            [new("events included", f.EventsIncluded.ToString())]),
        new("NIST SP 800-53 AU-10", "Non-repudiation: every included event is proved in a signed checkpoint; approvals are events with their approvers.",
            ["tree.json", "events.jsonl", "reports/access.json"],
            [
                new("per-call approvals", f.Approvals.ToString()),
                new("just-in-time grants", f.Grants.ToString()),
            ]),
        new("NIST SP 800-53 AU-11", "Audit record retention per policy, on storage that prevents change.",
            ["package.json", "reports/summary.json"],
            [
                new("payload retention", settings.Retention ?? "none set: payloads are kept until an operator purges them"),
                new("WORM archive", settings.WormArchive ?? "none set: no write-once archive is configured"),
            ]),
        new("PCI DSS 10.2", "Audit logs record user access, actions, denials and changes to the log settings, with the fields of 10.2.2.",
            ["events.jsonl", "reports/access.json", "reports/sessions/"],
            [
                new("calls", f.Calls.ToString()),
                new("denials", f.Denials.ToString()),
                new("policy versions in force", f.PolicyVersions.ToString()),
            ]),
    ];
}

public sealed record ControlEvidence(string Control, string Expectation, IReadOnlyList<string> Artifacts, IReadOnlyList<Figure> Figures);

public sealed record Figure(string Label, string Value);
