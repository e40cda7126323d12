using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Proctor.Storage.Sqlite.Ledger;
using Proctor.Storage.Sqlite.Ledger.Log;
using Spectre.Console;

namespace Proctor.Cli.Audit;

/// <summary>
/// <c>proctor audit disk-check</c>: how long the ledger's disk takes to make one commit durable, measured where and as
/// the gateway's writer commits. Every tool call waits for two commits (its request before it is forwarded, its answer
/// before it is delivered), so this is the floor under the latency the ledger adds, and the first thing to check when
/// a volume is chosen or calls slow down (docs/operations.md).
/// </summary>
internal static class DiskCheckCommand
{
    // About the gap the gateway leaves between two commits with one call at a time (76–137 µs measured at p50): long
    // enough for a disk or a virtual machine's host that is fast only while kept busy to show it.
    private static readonly TimeSpan OneCallApart = TimeSpan.FromMicroseconds(150);

    public static Command Create()
    {
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var seconds = new Option<int>("--seconds") { Description = "How long to measure each pattern, 1 to 60 seconds.", DefaultValueFactory = _ => 3 };
        var command = new Command("disk-check", "Measure how long the ledger's disk takes to make one commit durable (write and fdatasync, in the ledger's folder), back to back and one call at a time. It writes a scratch file only, so it is safe while the gateway runs (whose commits then share the disk for those seconds).") { config, seconds, json };
        command.SetAction((result, ct) =>
        {
            var perPattern = result.GetValue(seconds);
            if (perPattern is < 1 or > 60)
            {
                Console.Error.WriteLine($"error: --seconds must be from 1 to 60; got {perPattern}.");
                return Task.FromResult(ExitCodes.BadConfiguration);
            }
            if (GatewayData.Locate(result.GetValue(config)!) is not { } storage || Folder(storage.Path) is not { } folder)
            {
                return Task.FromResult(ExitCodes.BadConfiguration);
            }

            var cpus = storage.PinLedgerWriter ? DiskCompletionCpus.Find(folder) : null;
            IReadOnlyList<FlushLatency> measured;
            try
            {
                measured = FlushProbe.Measure(folder, [TimeSpan.Zero, OneCallApart], TimeSpan.FromSeconds(perPattern), cpus, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: cannot measure the disk under {folder}: {ex.Message} The gateway could not commit there either; check the folder's permissions and free space.");
                return Task.FromResult(ExitCodes.Failure);
            }

            if (result.GetValue(json))
            {
                Console.WriteLine(Json(folder, measured).ToJsonString());
            }
            else
            {
                Print(folder, measured);
            }
            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>The log folder when the gateway has made it, else the database's folder (same disk); null after saying neither exists.</summary>
    private static string? Folder(string databasePath)
    {
        var log = SqliteLedgerStore.LogFolderFor(databasePath);
        if (Directory.Exists(log))
        {
            return log;
        }
        var parent = Path.GetDirectoryName(Path.GetFullPath(databasePath))!;
        if (Directory.Exists(parent))
        {
            return parent;
        }
        Console.Error.WriteLine($"error: the folder of storage.path ({parent}) does not exist; create it, or check storage.path in the configuration.");
        return null;
    }

    private static string Pattern(FlushLatency latency) =>
        latency.Pause == TimeSpan.Zero ? "back to back" : $"{latency.Pause.TotalMicroseconds:0} µs apart";

    private static void Print(string folder, IReadOnlyList<FlushLatency> measured)
    {
        var placed = measured[0].PlacedOn is { } cpus
            ? $"on CPU {string.Join(",", cpus)}, which takes this disk's completion interrupts, as the gateway's writer runs"
            : "on any CPU, as the gateway's writer runs here";
        AnsiConsole.MarkupLineInterpolated($"Ledger disk: {folder}; {FlushProbe.RecordBytes}-byte commits (write and fdatasync), {placed}.");
        var table = new Table().AddColumns("pattern", "commits", "p50 µs", "p90 µs", "p99 µs", "max µs");
        foreach (var latency in measured)
        {
            table.AddRow(Pattern(latency), Number(latency.Commits), Number(latency.P50), Number(latency.P90), Number(latency.P99), Number(latency.Max));
        }
        AnsiConsole.Write(table);

        var oneAtATime = measured[^1];
        AnsiConsole.WriteLine(
            $"Each tool call waits for two commits: its request before it is forwarded, its answer before it is delivered. With one call at a time (commits about " +
            $"{oneAtATime.Pause.TotalMicroseconds:0} µs apart), this disk alone adds about {2 * oneAtATime.P50 / 1000:0.00} ms to a call at the median (two of its p50) and " +
            $"{2 * oneAtATime.P90 / 1000:0.00} ms when both take the p90; under load, one commit carries many calls and the back-to-back figures apply.");
    }

    private static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static JsonObject Json(string folder, IReadOnlyList<FlushLatency> measured) => new()
    {
        ["folder"] = folder,
        ["record_bytes"] = FlushProbe.RecordBytes,
        ["placed_on_cpus"] = measured[0].PlacedOn is { } cpus ? new JsonArray([.. cpus.Select(cpu => (JsonNode)cpu)]) : null,
        ["patterns"] = new JsonArray([.. measured.Select(latency => (JsonNode)new JsonObject
        {
            ["pause_us"] = latency.Pause.TotalMicroseconds,
            ["commits"] = latency.Commits,
            ["p50_us"] = Math.Round(latency.P50, 1),
            ["p90_us"] = Math.Round(latency.P90, 1),
            ["p99_us"] = Math.Round(latency.P99, 1),
            ["max_us"] = Math.Round(latency.Max, 1),
        })]),
    };
}
