using Microsoft.Extensions.Logging;

namespace Proctor.Mcp.Upstreams.Supervision;

/// <summary>
/// Keeps one upstream connected, whatever its transport: runs one connection at a time (open, handshake,
/// serve until it ends), then waits an exponential backoff and connects again, until the gateway stops.
/// Owns the upstream's health as <c>/readyz</c> shows it. Reasons are the gateway's own words; where one
/// quotes the upstream (an <c>initialize</c> error), the quote is passed through <see cref="Mask"/> before it
/// becomes part of a reason, which is stored, logged and returned to callers (decision 0016).
/// </summary>
internal sealed partial class UpstreamSupervisor : IAsyncDisposable
{
    private readonly string _name;
    private readonly string _era;
    private readonly UpstreamRestartPolicy _policy;
    private readonly UpstreamServices _services;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstAttempt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _attemptWanted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile UpstreamHealth _health;
    private long _readyAt;
    private Task? _loop;

    public UpstreamSupervisor(string name, string era, UpstreamRestartPolicy policy, UpstreamServices services, ILogger logger)
    {
        _name = name;
        _era = era;
        _policy = policy;
        _services = services;
        _logger = logger;
        _health = new UpstreamHealth(UpstreamState.Starting, null, services.Time.GetUtcNow(), 0, era);
    }

    /// <summary>The link in use, when it can say that it has been unable to take a message since some time.</summary>
    public Func<DateTimeOffset?>? BlockedSince { get; set; }

    /// <summary>The health as of now: a connection whose link has not taken a message for <c>StallAfter</c> is stalled.</summary>
    public UpstreamHealth Health
    {
        get
        {
            var health = _health;
            if (health.State == UpstreamState.Ready && BlockedSince?.Invoke() is { } since)
            {
                var blocked = _services.Time.GetUtcNow() - since;
                if (blocked >= _policy.StallAfter)
                {
                    return health with
                    {
                        State = UpstreamState.Stalled,
                        Since = since,
                        Reason = $"it has taken no message from the gateway for {blocked.TotalSeconds:0} s (its input is full)",
                        ReasonCode = UpstreamReasonCodes.Stalled,
                    };
                }
            }

            return health;
        }
    }

    public CancellationToken Stopping => _stopping.Token;

    /// <summary>Completes when the first connection attempt has succeeded or failed.</summary>
    public Task FirstAttempt => _firstAttempt.Task;

    public TimeProvider Time => _services.Time;

    /// <summary>
    /// Starts supervising. <paramref name="connect"/> runs one connection: it calls <see cref="MarkReady"/>
    /// once usable, returns why the connection ended, and throws (preferably an
    /// <see cref="UpstreamAttemptException"/>) when it could not connect. <paramref name="onLost"/> fails the
    /// calls in flight with the reason.
    /// </summary>
    public void Start(Func<CancellationToken, Task<string>> connect, Action<string> onLost) =>
        _loop ??= Task.Run(() => SuperviseAsync(connect, onLost), CancellationToken.None);

    public void MarkReady(string protocolVersion)
    {
        var previous = _health;
        _readyAt = _services.Time.GetTimestamp();
        _health = new UpstreamHealth(UpstreamState.Ready, null, _services.Time.GetUtcNow(), previous.Restarts + (previous.State == UpstreamState.Down ? 1 : 0), _era);
        _firstAttempt.TrySetResult();
        Log.Ready(_logger, _name, protocolVersion);
    }

    /// <summary>The upstream has not answered a liveness check since <paramref name="since"/>.</summary>
    public void MarkStalled(string reason, DateTimeOffset since)
    {
        var previous = _health;
        if (previous.State != UpstreamState.Ready)
        {
            return;
        }

        _health = previous with { State = UpstreamState.Stalled, Reason = reason, Since = since, ReasonCode = UpstreamReasonCodes.Stalled };
        Log.Stalled(_logger, _name, reason);
    }

    /// <summary>The upstream said something again after it was stalled.</summary>
    public void MarkResponsive()
    {
        var previous = _health;
        if (previous.State != UpstreamState.Stalled)
        {
            return;
        }

        _health = previous with { State = UpstreamState.Ready, Reason = null, Since = _services.Time.GetUtcNow(), ReasonCode = null };
        Log.Responsive(_logger, _name);
    }

    /// <summary>
    /// A caller needs the upstream while it is down: the next attempt comes after <c>initialBackoff</c> since
    /// the last one instead of the rest of a backoff that may have grown to <c>maxBackoff</c> in a crash loop.
    /// </summary>
    public void RequestAttempt()
    {
        if (_health.State == UpstreamState.Down)
        {
            Volatile.Read(ref _attemptWanted).TrySetResult();
        }
    }

    /// <summary>
    /// Text the upstream wrote, masked as for storage (gateway secrets always redacted) so that it can be
    /// quoted in a reason; withheld, never shown raw, when masking fails.
    /// </summary>
    public string Mask(string text)
    {
        if (_services.Masker.Mask(_name, text) is { } masked)
        {
            return masked;
        }

        Log.Withheld(_logger, _name, text.Length);
        return "(withheld: the upstream's text could not be masked)";
    }

    private async Task SuperviseAsync(Func<CancellationToken, Task<string>> connect, Action<string> onLost)
    {
        var stopping = _stopping.Token;
        var failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            string reason;
            string code;
            _readyAt = 0;
            try
            {
                reason = await connect(stopping).ConfigureAwait(false);
                code = UpstreamReasonCodes.ConnectionLost;
                failures = StayedHealthy() ? 0 : failures + 1;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (UpstreamAttemptException ex)
            {
                (reason, code) = (ex.Message, ex.Code);
                failures = StayedHealthy() ? 0 : failures + 1;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                (reason, code) = (ex.Message, UpstreamReasonCodes.OpenFailed);
                failures++;
            }

            Volatile.Write(ref _attemptWanted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            onLost(reason);
            _health = new UpstreamHealth(UpstreamState.Down, reason, _services.Time.GetUtcNow(), _health.Restarts, _era) { ReasonCode = code };
            _firstAttempt.TrySetResult();
            Log.Down(_logger, _name, reason);
            try
            {
                await WaitBeforeNextAttemptAsync(_policy.Backoff(failures), stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _health = new UpstreamHealth(UpstreamState.Stopped, "the gateway is shutting down", _services.Time.GetUtcNow(), _health.Restarts, _era) { ReasonCode = UpstreamReasonCodes.ShuttingDown };
    }

    /// <summary>A connection that was ready for <c>maxBackoff</c> ends a crash loop: the next wait starts short again.</summary>
    private bool StayedHealthy() => _readyAt != 0 && _services.Time.GetElapsedTime(_readyAt) >= _policy.MaxBackoff;

    private async Task WaitBeforeNextAttemptAsync(TimeSpan backoff, CancellationToken stopping)
    {
        // At least initialBackoff even when callers ask sooner, so that a flood of calls is no spawn storm.
        var floor = backoff < _policy.InitialBackoff ? backoff : _policy.InitialBackoff;
        await Task.Delay(floor, _services.Time, stopping).ConfigureAwait(false);
        if (backoff > floor)
        {
            var wanted = Volatile.Read(ref _attemptWanted).Task;
            var rest = Task.Delay(backoff - floor, _services.Time, stopping);
            if (await Task.WhenAny(rest, wanted).ConfigureAwait(false) == wanted)
            {
                Log.EarlyAttempt(_logger, _name);
            }

            stopping.ThrowIfCancellationRequested();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Upstream {Upstream} ready (protocol {Version})")]
        public static partial void Ready(ILogger logger, string upstream, string version);

        [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Upstream {Upstream} down: {Reason}")]
        public static partial void Down(ILogger logger, string upstream, string reason);

        [LoggerMessage(EventId = 2301, Level = LogLevel.Warning, Message = "Upstream {Upstream} stalled: {Reason}; calls to it are refused until it answers again")]
        public static partial void Stalled(ILogger logger, string upstream, string reason);

        [LoggerMessage(EventId = 2302, Level = LogLevel.Information, Message = "Upstream {Upstream} answers again after a stall")]
        public static partial void Responsive(ILogger logger, string upstream);

        [LoggerMessage(EventId = 2304, Level = LogLevel.Warning, Message = "Upstream {Upstream}: {Length} characters of its own text (an error it gave) could not be masked; withheld from its state and the log")]
        public static partial void Withheld(ILogger logger, string upstream, int length);

        [LoggerMessage(EventId = 2303, Level = LogLevel.Debug, Message = "Upstream {Upstream}: a caller needs it, connecting before the backoff has run out")]
        public static partial void EarlyAttempt(ILogger logger, string upstream);
    }
}
