using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Secrets;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Upstreams;
using Proctor.Mcp.Upstreams.Supervision;

namespace Proctor.Mcp.Tests.Upstreams.Supervision;

public sealed class RecordedLinkFactoryTests
{
    [Fact]
    public async Task ProcessExitsAtOnce_ItsExitIsRecordedAfterItsSpawnEvenWhenTheSpawnIsSlowToCommit()
    {
        var recorder = new SlowSpawnRecorder();
        var model = new StdioUpstreamModel("quick", TimeSpan.FromSeconds(5), "/bin/sh", ["-c", "exit 3"], new Dictionary<string, SecretValue>(), null,
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var links = new RecordedLinkFactory(new StdioLinkFactory(model, NullLogger.Instance, new UnmaskedLogLines(), TimeProvider.System), recorder, NullLogger.Instance);

        await using var link = await links.OpenAsync(CancellationToken.None);
        await link.Closed.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["spawn", "exit 3"], recorder.Events);
    }

    private sealed class SlowSpawnRecorder : IUpstreamRecorder
    {
        public ConcurrentQueue<string> Events { get; } = new();

        public async ValueTask SpawnedAsync(UpstreamSpawn spawn, CancellationToken cancellationToken)
        {
            await Task.Delay(300, cancellationToken); // the process has long exited by now
            Events.Enqueue("spawn");
        }

        public ValueTask ExitedAsync(UpstreamExit exit, CancellationToken cancellationToken)
        {
            Events.Enqueue($"exit {exit.ExitCode}");
            return ValueTask.CompletedTask;
        }
    }
}
