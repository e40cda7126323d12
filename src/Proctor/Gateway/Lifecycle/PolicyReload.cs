using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Configuration.Policies;
using Proctor.Evidence;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Authorization;

namespace Proctor.Gateway.Lifecycle;

/// <summary>
/// Reloads the policy file when it changes (debounced: an editor saves in several writes) and on SIGHUP
/// (decision 0029). A new policy is recorded as <c>policy.load</c> before it is put in force, so every hash a
/// decision names is on record first; one that fails validation, or cannot be recorded, never replaces the
/// running one: its errors are logged with rule and field and the refusal is recorded. An inline or default
/// policy has no file to reload; it changes with a restart.
/// </summary>
internal sealed partial class PolicyReload(PolicyInForce policies, GatewayModel model, EvidenceStore evidence, TimeProvider time, ILogger<PolicyReload> logger) : IHostedService, IDisposable
{
    /// <summary>Editors write a file in bursts (truncate, write, rename) within milliseconds; one reload after the burst settles.</summary>
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private FileSystemWatcher? _watcher;
    private ITimer? _pending;
    private PosixSignalRegistration? _hangup;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var policy = model.Policy;
        if (policy.IsDefault)
        {
            Log.DefaultPolicy(logger);
        }

        if (!OperatingSystem.IsWindows())
        {
            _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true; // SIGHUP's default ends the process; here it means "reload"
                _ = ReloadAsync("SIGHUP");
            });
        }

        if (policy.File is { } file)
        {
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(file)!, Path.GetFileName(file))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => Soon();
            _watcher.Created += (_, _) => Soon();
            _watcher.Renamed += (_, _) => Soon();
            _watcher.Error += (_, e) => Log.WatcherFailed(logger, file, e.GetException().Message);
            _watcher.EnableRaisingEvents = true;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _hangup?.Dispose();
        _watcher?.Dispose();
        _pending?.Dispose();
    }

    /// <summary>Loads the policy file again and puts it in force if it is valid, new, and on record. Returns whether it did.</summary>
    public async Task<bool> ReloadAsync(string trigger)
    {
        if (model.Policy.File is not { } file)
        {
            Log.NothingToReload(logger, trigger, model.Policy.Source);
            return false;
        }

        await _oneAtATime.WaitAsync().ConfigureAwait(false);
        try
        {
            var current = policies.Current;
            var loaded = PolicyLoader.LoadFile(file, [.. model.Upstreams.Keys]);
            if (loaded.Policy is not { } next)
            {
                foreach (var error in loaded.Errors)
                {
                    Log.ErrorInPolicy(logger, file, error.RuleId ?? "-", error.Field ?? error.Path, error.ToString());
                }

                Log.Refused(logger, trigger, file, loaded.Errors.Count, current.Model.Hash);
                policies.LastRefused = new RefusedPolicy(time.GetUtcNow(), [.. loaded.Errors.Select(e => e.ToString())]);
                await RecordAsync(() => PolicyEvents.RefusedAsync(evidence.Ledger, file, loaded.Errors, current.Model.Hash, trigger, time, CancellationToken.None)).ConfigureAwait(false);
                return false;
            }

            if (next.Model.Hash == current.Model.Hash)
            {
                policies.LastRefused = null;
                return false; // saved unchanged (or changed only in descriptions and comments, which the hash leaves out)
            }

            if (!await RecordAsync(() => PolicyEvents.LoadedAsync(evidence.Ledger, next, current.Model.Hash, trigger, time, CancellationToken.None)).ConfigureAwait(false))
            {
                Log.NotInForce(logger, next.Model.Hash, current.Model.Hash);
                return false;
            }

            policies.Swap(next);
            Log.Reloaded(logger, trigger, file, next.Model.Hash, next.Model.RuleCount, current.Model.Hash);
            return true;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private void Soon()
    {
        var timer = time.CreateTimer(_ => _ = ReloadAsync("file change"), null, Debounce, Timeout.InfiniteTimeSpan);
        Interlocked.Exchange(ref _pending, timer)?.Dispose();
    }

    private async Task<bool> RecordAsync(Func<Task> append)
    {
        try
        {
            await append().ConfigureAwait(false);
            return true;
        }
        catch (LedgerUnavailableException ex)
        {
            Log.NotRecorded(logger, ex.Message);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2650, Level = LogLevel.Information, Message = "Policy reloaded ({Trigger}) from {File}: hash {Hash}, {Rules} rule(s), in force now; it replaced {Replaced}")]
        public static partial void Reloaded(ILogger logger, string trigger, string file, string hash, int rules, string replaced);

        [LoggerMessage(EventId = 2651, Level = LogLevel.Error, Message = "Policy file {File}: rule {Rule}, field {Field}: {Error}")]
        public static partial void ErrorInPolicy(ILogger logger, string file, string rule, string field, string error);

        [LoggerMessage(EventId = 2652, Level = LogLevel.Error, Message = "Policy reload ({Trigger}) of {File} refused: {Count} error(s), listed above. The policy in force (hash {InForce}) keeps deciding; fix the file and save it again, or send SIGHUP.")]
        public static partial void Refused(ILogger logger, string trigger, string file, int count, string inForce);

        [LoggerMessage(EventId = 2653, Level = LogLevel.Error, Message = "A policy load could not be recorded in the audit ledger ({Failure}); the policy in force keeps deciding until a load can be recorded. /readyz shows the ledger's state.")]
        public static partial void NotRecorded(ILogger logger, string failure);

        [LoggerMessage(EventId = 2654, Level = LogLevel.Error, Message = "The new policy (hash {Hash}) was not put in force because its load is not on record; the policy {InForce} keeps deciding. Save the file again once the ledger is writable.")]
        public static partial void NotInForce(ILogger logger, string hash, string inForce);

        [LoggerMessage(EventId = 2655, Level = LogLevel.Warning, Message = "No policy section is configured: every caller that reaches the gateway may call every tool of every upstream (policy 'no-policy-configured', decision 0029). Write a policy (docs/policy.md) before giving callers access.")]
        public static partial void DefaultPolicy(ILogger logger);

        [LoggerMessage(EventId = 2656, Level = LogLevel.Warning, Message = "{Trigger}: nothing to reload; the policy in force is {Source}, which changes only with a restart. To reload without one, keep the policy in its own file: policy: {{ file: \"policy.yaml\" }}.")]
        public static partial void NothingToReload(ILogger logger, string trigger, string source);

        [LoggerMessage(EventId = 2657, Level = LogLevel.Error, Message = "Watching the policy file {File} failed ({Reason}); edits are not picked up until SIGHUP or a restart.")]
        public static partial void WatcherFailed(ILogger logger, string file, string reason);
    }
}
