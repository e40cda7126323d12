using System.CommandLine;
using System.Globalization;
using Proctor.Ledger.Events;
using Proctor.Ledger.Examination;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger;
using Spectre.Console;

namespace Proctor.Cli;

/// <summary>
/// <c>proctor sessions list|show|replay</c>: sessions as the ledger recorded them (masked). An examiner
/// traces one session end to end: who, from where, every call, what came back, in order.
/// </summary>
internal static class SessionsCommand
{
    /// <summary>Replay never waits longer than this between two events, whatever the recorded gap (an idle hour is not worth watching).</summary>
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(3);

    public static Command Create()
    {
        var command = new Command("sessions", "Find, inspect and replay recorded MCP sessions (masked, from the audit ledger).");
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(ShowCommand());
        command.Subcommands.Add(ReplayCommand());
        return command;
    }

    private static Command ListCommand()
    {
        var subject = new Option<string?>("--subject") { Description = "Only sessions of this caller (e.g. alice, agent:nightly)." };
        var server = new Option<string?>("--server") { Description = "Only sessions that used this upstream server." };
        var since = new Option<string?>("--since") { Description = "Only sessions active at or after this UTC time, e.g. 2026-11-01 or 2026-11-01T09:00Z." };
        var until = new Option<string?>("--until") { Description = "Only sessions active before this UTC time." };
        var limit = new Option<int>("--limit") { Description = "At most this many sessions, newest first.", DefaultValueFactory = _ => 100 };
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("list", "List recorded sessions: id, caller, server, first and last event, number of events.") { subject, server, since, until, limit, config, json };
        command.SetAction((result, ct) => WithStoreAsync(result.GetValue(config)!, ct, async store =>
        {
            if (!TryTime(result.GetValue(since), "--since", out var from) || !TryTime(result.GetValue(until), "--until", out var to))
            {
                return ExitCodes.BadConfiguration;
            }

            var sessions = await store.ListSessionsAsync(new SessionQuery { Subject = result.GetValue(subject), Server = result.GetValue(server), From = from, To = to, Limit = result.GetValue(limit) }, ct).ConfigureAwait(false);
            if (result.GetValue(json))
            {
                Console.WriteLine(ExaminerJson.Sessions(sessions).ToJsonString());
                return ExitCodes.Ok;
            }

            // Ids never wrap: they are copied into the next command (show, replay) from terminals of any width.
            var table = new Table().AddColumns(new TableColumn("session").NoWrap(), new TableColumn("caller"), new TableColumn("server"), new TableColumn("first event (UTC)"), new TableColumn("last event (UTC)"), new TableColumn("events"));
            foreach (var s in sessions)
            {
                table.AddRow(Markup.Escape(s.SessionId), Markup.Escape(s.Subject ?? ""), Markup.Escape(s.Server ?? ""), $"{s.FirstEvent:yyyy-MM-dd HH:mm:ss}", $"{s.LastEvent:yyyy-MM-dd HH:mm:ss}", s.EventCount.ToString(CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ShowCommand()
    {
        var id = new Argument<string>("session-id");
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("show", "Show every event of one session: time, event id, kind, method and name, outcome, masked entities.") { id, config, json };
        command.SetAction((result, ct) => WithSessionAsync(result.GetValue(config)!, result.GetValue(id)!, ct, timeline =>
        {
            if (result.GetValue(json))
            {
                Console.WriteLine(ExaminerJson.Show(timeline).ToJsonString());
                return Task.FromResult(ExitCodes.Ok);
            }

            var table = new Table().AddColumns(new TableColumn("time (UTC)"), new TableColumn("event id").NoWrap(), new TableColumn("kind"), new TableColumn("method"), new TableColumn("name"), new TableColumn("outcome"), new TableColumn("masked"));
            foreach (var e in timeline.Events.Select(t => t.Event))
            {
                table.AddRow($"{e.Time:HH:mm:ss.fff}", e.Id, e.Kind, Markup.Escape(e.Action?.Method ?? ""), Markup.Escape(e.Action?.Name ?? ""), Markup.Escape(Outcome(e)), Masked(e));
            }

            AnsiConsole.Write(table);
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static Command ReplayCommand()
    {
        var id = new Argument<string>("session-id");
        var speed = new Option<double>("--speed") { Description = "Replay speed: 1 is real time, 10 is ten times faster, 0 prints without waiting. Pauses are capped at 3 s.", DefaultValueFactory = _ => 1 };
        var config = GatewayData.ConfigOption();
        var json = GatewayData.JsonOption();
        var command = new Command("replay", "Replay one session's conversation in order, with its relative timing: each request, what came back during it, and its response, as recorded (masked).") { id, speed, config, json };
        command.SetAction((result, ct) => WithSessionAsync(result.GetValue(config)!, result.GetValue(id)!, ct, async timeline =>
        {
            var factor = result.GetValue(speed);
            if (factor < 0)
            {
                Console.Error.WriteLine("error: --speed must be 0 (no waiting) or positive.");
                return ExitCodes.BadConfiguration;
            }

            var previous = TimeSpan.Zero;
            foreach (var timed in timeline.Events)
            {
                var (e, offset) = (timed.Event, timed.Offset);
                if (factor > 0 && offset > previous)
                {
                    await Task.Delay(Min((offset - previous) / factor, LongestPause), ct).ConfigureAwait(false);
                }

                previous = offset;
                Console.WriteLine(result.GetValue(json)
                    ? ExaminerJson.ReplayEvent(timed).ToJsonString()
                    : $"+{offset.TotalSeconds,8:0.000}s  {e.Kind,-18} {e.Action?.Method} {e.Action?.Name} {Body(e)}".TrimEnd());
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Body(LedgerEvent e) =>
        e.Kind == EventKinds.CallRequest ? e.Action?.Arguments?.GetRawText() ?? ""
        : e.Kind == EventKinds.CallCancelled ? "(cancelled)"
        : e.Details?.GetRawText() ?? Outcome(e);

    private static string Outcome(LedgerEvent e) =>
        e.Outcome is not { } o ? "" : o.ErrorCode is { } code ? $"{o.Status} {code}: {o.ErrorMessage}" : $"{o.Status} {o.Summary}".Trim();

    private static string Masked(LedgerEvent e) =>
        e.Traffic?.MaskedEntities is { Count: > 0 } masked ? string.Join(", ", masked.Select(m => $"{m.Key} {m.Value}")) : "";

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static bool TryTime(string? text, string option, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        if (ExaminerTime.TryParse(text, out var parsed))
        {
            time = parsed;
            return true;
        }

        Console.Error.WriteLine($"error: {option} '{text}' is not a time; use e.g. {ExaminerTime.Example}.");
        return false;
    }

    private static Task<int> WithSessionAsync(FileInfo config, string sessionId, CancellationToken cancellationToken, Func<SessionTimeline, Task<int>> action) =>
        WithStoreAsync(config, cancellationToken, async store =>
        {
            var timeline = await SessionTimeline.ReadAsync(store, sessionId, cancellationToken).ConfigureAwait(false);
            if (timeline is not { Events.Count: > 0 })
            {
                Console.Error.WriteLine(timeline is null
                    ? $"error: no session {sessionId} in the ledger; 'proctor sessions list' shows the recorded ones."
                    : $"Session {sessionId} has {timeline.RecordedEvents} events, all purged under retention.");
                return ExitCodes.Failure;
            }

            return await action(timeline).ConfigureAwait(false);
        });

    private static async Task<int> WithStoreAsync(FileInfo config, CancellationToken cancellationToken, Func<SqliteLedgerStore, Task<int>> action)
    {
        if (GatewayData.Locate(config) is not { } storage)
        {
            return ExitCodes.BadConfiguration;
        }

        await using var store = await GatewayData.OpenLedgerAsync(storage, cancellationToken).ConfigureAwait(false);
        return store is null ? ExitCodes.BadConfiguration : await action(store).ConfigureAwait(false);
    }
}
