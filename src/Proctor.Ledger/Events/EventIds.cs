namespace Proctor.Ledger.Events;

/// <summary>Event ids: UUIDv7 (RFC 9562), so ids sort by creation time and need no coordination between nodes.</summary>
public static class EventIds
{
    public static string New(TimeProvider time) => Uuid7.New(time.GetUtcNow()).ToString();
}
