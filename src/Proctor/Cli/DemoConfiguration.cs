namespace Proctor.Cli;

/// <summary>The configuration <c>proctor demo</c> writes: complete, commented, and runnable by <c>proctor serve</c>.</summary>
internal static class DemoConfiguration
{
    public static string Render(Uri listen)
    {
        var (command, prefix) = SelfCommand();
        var args = string.Join(", ", prefix.Append("sample").Append("bank-server").Append("--seed").Append("42").Select(Quote));
        return $$"""
            # Proctor configuration written by `proctor demo`. Edit it and run:
            #   proctor serve --config {{"<this file>"}}
            # Every key is documented in docs/configuration.md.

            gateway:
              # Where MCP clients connect: /mcp (all servers, tools named server__tool) or /mcp/<server>.
              listen: {{Quote(listen.ToString().TrimEnd('/'))}}
              # Browser origins allowed to call the gateway (the MCP Inspector's UI runs on port 6274).
              allowedOrigins: ["http://localhost:6274", "http://127.0.0.1:6274"]
              # Larger request bodies are refused with a JSON-RPC error.
              maxRequestBytes: "4MiB"
              # Default time an upstream has to answer one call.
              requestTimeout: "60s"

            logging:
              level: "Information"

            identity:
              # Every request must carry a bearer token whose audience is this URI (or an agent key).
              resource: {{Quote(new Uri(listen, "/mcp").ToString())}}
              # The demo's own issuer; its public keys are pinned from a file instead of fetched.
              # A bank lists its OpenID provider here, e.g. ["https://login.bank.example"].
              issuers: [{{Quote(DemoIdentities.Issuer)}}]
              issuerKeys: { {{Quote(DemoIdentities.Issuer)}}: {{Quote(DemoIdentities.JwksFile)}} }
              groupsClaim: "groups"
              # Roles granted to identity-provider groups: auditors search and replay sessions and
              # read the ledger through the REST API (/api, docs/api.md); approvers decide calls held for
              # approval (proctor approvals, /api/approvals; docs/approvals.md).
              roles:
                auditor: ["auditors"]
                approver: ["approvers"]

            console:
              # The web console at /console (docs/console.md). The demo has no sign-in page of its own, so
              # people sign in by pasting a token printed at start. A bank sets clientId (its OpenID provider's
              # client for the console) and leaves this off.
              tokenSignIn: true

            storage:
              # The audit ledger (every call, masked, recorded before it is forwarded) and agent keys.
              # Beside it: ledger-signing.key (signs checkpoints; keep it private), ledger-public.key
              # (give it to examiners: `proctor audit verify-proof FILE --key ledger-public.key`).
              path: "proctor-data/proctor.db"

            masking:
              # Without this section the built-in rules apply (docs/masking.md): SSNs, cards and accounts
              # keep their last four, credentials are redacted. Rules here refine them; the ledger and the
              # log always get the masked copy, whoever called.
              rules:
                # Auditors see SSNs whole in their own responses; everyone else sees ***-**-6789.
                - { entity: "ssn", strategy: "partial", keepLast: 4, revealTo: ["auditors"] }
              # Values of your own, masked wherever they appear:
              # customPatterns: [{ name: "case_ref", pattern: "REF-[0-9]{8}" }]
              # denyLists: [{ name: "project", terms: ["Blue Harbor", "${file:codenames.txt}"] }]

            # Who may call what: the rules are in policy.yaml beside this file (docs/policy.md). Edits to it
            # apply without a restart; without a policy: section every caller may call every tool.
            policy: { file: "{{DemoPolicy.FileName}}" }

            upstreams:
              # The synthetic bank: customers with names, SSNs, cards and accounts (all fake),
              # spawned and supervised by the gateway over stdio.
              bank:
                command: {{Quote(command)}}
                args: [{{args}}]
                timeout: "30s"
                restart: { initialBackoff: "1s", maxBackoff: "30s" }

              # A remote Streamable HTTP server would look like this (the token stays in the gateway):
              # crm:
              #   url: "https://crm.internal.example/mcp"
              #   headers: { Authorization: "Bearer ${env:CRM_TOKEN}" }
            """;
    }

    /// <summary>
    /// This binary as a user would type it: <c>proctor</c> when PATH finds this same file, otherwise its full
    /// path (under <c>dotnet run</c>, the apphost in bin/), so that every command the demo prints runs as pasted.
    /// </summary>
    public static string ShellCommand()
    {
        var (command, prefix) = SelfCommand();
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "proctor"))
            .FirstOrDefault(File.Exists) is { } found && string.Equals(Resolved(found), Resolved(command), StringComparison.Ordinal);
        return onPath ? "proctor" : string.Join(' ', prefix.Prepend(command).Select(ShellWord));
    }

    /// <summary>A value as one shell word: quoted only when it has to be.</summary>
    public static string ShellWord(string value) => value.Any(c => char.IsWhiteSpace(c) || c is '\'' or '"' or '$' or '\\')
        ? "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'"
        : value;

    private static string Resolved(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);

    /// <summary>How to start this same binary again: the apphost directly, or <c>dotnet proctor.dll</c>.</summary>
    private static (string Command, IEnumerable<string> Prefix) SelfCommand()
    {
        var process = Environment.ProcessPath ?? "proctor";
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? (process, [typeof(DemoConfiguration).Assembly.Location])
            : (process, []);
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
