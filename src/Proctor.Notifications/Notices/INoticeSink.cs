namespace Proctor.Notifications.Notices;

/// <summary>Where the approvals code hands its notices (the host registers the webhook notifier as the one sink).</summary>
public interface INoticeSink
{
    /// <summary>
    /// Queues <paramref name="notice"/> for every webhook whose <c>events</c> select its kind and returns at once: it
    /// never waits on a receiver, and never throws because one is slow, down or refusing. When a webhook's queue is
    /// full the oldest notice waiting for it is dropped (counted and logged). Delivery is best effort: the ledger, not
    /// the notice, is the record of what happened.
    /// </summary>
    /// <exception cref="ArgumentException">The notice is malformed (an unknown kind, an empty id, a link path that is not a path): a bug in the caller.</exception>
    void Publish(GatewayNotice notice);
}
