using System.Text.Json.Nodes;
using Proctor.Approvals.Grants;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// Tells a holder's open sessions that their tool list changed when one of their grants starts, expires or is revoked
/// (decision 0041): <c>notifications/tools/list_changed</c> on the session's GET stream, to the sessions the holder
/// opened (issuer and subject) on a route that includes the grant's server, and to nobody else. The gateway's own
/// message carries no payload; the grant event that caused it is in the ledger already, so it is not recorded again.
/// The same goes to the holder's 2026-07-28 <c>subscriptions/listen</c> streams that asked for tool list changes.
/// </summary>
public sealed class GrantListChanges(ClientSessionStore sessions, UnsolicitedRelay? listeners = null)
{
    /// <returns>How many sessions were told.</returns>
    public int Notify(IReadOnlyList<GrantChange> changes)
    {
        if (changes.Count == 0)
        {
            return 0;
        }

        var told = 0;
        foreach (var session in sessions.All)
        {
            if (session.Initialized && Affected(session, changes))
            {
                told += session.Outbound.Writer.TryWrite(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = McpMethods.ToolsListChanged }) ? 1 : 0;
            }
        }

        foreach (var listener in listeners?.Listeners ?? [])
        {
            if (listener.Wants(McpMethods.ToolsListChanged, subscribedUri: false) && Affected(listener.Owner, listener.Route, changes))
            {
                told += listener.Outbound.Writer.TryWrite(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = McpMethods.ToolsListChanged }) ? 1 : 0;
            }
        }

        return told;
    }

    private static bool Affected(ClientSession session, IReadOnlyList<GrantChange> changes) => Affected(session.Owner, session.Route, changes);

    private static bool Affected(string? owner, Routing.Route route, IReadOnlyList<GrantChange> changes)
    {
        foreach (var change in changes)
        {
            if (string.Equals(owner, change.Identity, StringComparison.Ordinal) && (route.IsAggregate || route.Server == change.Server))
            {
                return true;
            }
        }

        return false;
    }
}
