using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Resources;

/// <summary>A resource whose content changes on a timer, so subscribers have updates to receive.</summary>
internal sealed class WatchedResource(TimeProvider time)
{
    public const string Uri = "test://watched-resource";

    private Revision _current = new(0, time.GetUtcNow());

    /// <summary>Raised after every change, with the URI of the resource that changed.</summary>
    public event Action<string>? Updated;

    public TextResourceContents Read()
    {
        var current = Volatile.Read(ref _current);
        return new TextResourceContents
        {
            Uri = Uri,
            MimeType = "text/plain",
            Text = $"Watched resource version {current.Version}, changed at {current.ChangedAt:O}.",
        };
    }

    public void Change()
    {
        var previous = Volatile.Read(ref _current);
        Volatile.Write(ref _current, new Revision(previous.Version + 1, time.GetUtcNow()));
        Updated?.Invoke(Uri);
    }

    private sealed record Revision(long Version, DateTimeOffset ChangedAt);
}

[McpServerResourceType]
internal static class WatchedResourceEndpoint
{
    [McpServerResource(UriTemplate = WatchedResource.Uri, Name = "watched-resource", MimeType = "text/plain")]
    [Description("Changes every few seconds; subscribe to it to be notified of each change.")]
    public static TextResourceContents Read(WatchedResource watched) => watched.Read();
}

/// <summary>Changes <see cref="WatchedResource"/> every three seconds, as the reference server does.</summary>
internal sealed class WatchedResourceTicker(WatchedResource watched, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            watched.Change();
        }
    }
}
