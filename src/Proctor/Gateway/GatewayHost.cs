using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Proctor.Approvals.Desk;
using Proctor.Approvals.Grants;
using Proctor.Approvals.Signals;
using Proctor.Configuration.Models;
using Proctor.Evidence;
using Proctor.Evidence.Reports;
using Proctor.Gateway.Lifecycle;
using Proctor.Http;
using Proctor.Http.Api;
using Proctor.Http.Health;
using Proctor.Http.Mcp;
using Proctor.Identity.AgentKeys;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Access;
using Proctor.Mcp.Approvals;
using Proctor.Mcp.Authorization;
using Proctor.Mcp.Bridging;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Pinning;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;
using Proctor.Mcp.Sessions.Replay;
using Proctor.Mcp.Tasks;
using Proctor.Mcp.Upstreams;
using Proctor.Mcp.Upstreams.Credentials;
using Proctor.Notifications.Delivery;
using Proctor.Notifications.Notices;
using Proctor.Storage.Sqlite.AgentKeys;
using Proctor.Storage.Sqlite.Approvals;
using Proctor.Storage.Sqlite.Grants;
using Proctor.Storage.Sqlite.ToolPins;

namespace Proctor.Gateway;

/// <summary>
/// Composition root: turns a validated configuration into a running gateway. Wiring only; the start and stop
/// sequence is <see cref="LifecycleDefinition"/>, the per-call pipeline <see cref="PipelineDefinition"/>.
/// </summary>
internal static class GatewayHost
{
    /// <summary>Idle legacy sessions are forgotten after this; clients re-initialize on the 404.</summary>
    private static readonly TimeSpan SessionIdleTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Runs until the host is stopped (SIGTERM, SIGINT, or <paramref name="cancellationToken"/>), then stops in order.</summary>
    /// <param name="benchmarkAppendTarget">Benchmarks only; see <see cref="BuildAsync"/>.</param>
    public static async Task RunAsync(GatewayModel model, CancellationToken cancellationToken, Action<WebApplication>? started = null, Func<IEntryStore, IEntryStore>? benchmarkAppendTarget = null)
    {
        await using var app = await BuildAsync(model, cancellationToken, benchmarkAppendTarget: benchmarkAppendTarget).ConfigureAwait(false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        started?.Invoke(app);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <param name="extraLogging">Adds log providers (tests capture every line to prove no secret is logged).</param>
    /// <param name="meterTags">Tags the gateway's meter; only for hosting several gateways in one process (<see cref="GatewayMeterTags"/>).</param>
    /// <param name="time">The gateway's one clock (<see cref="TimeProvider.System"/> when null); tests pass a fake one to move token expiry and timers without waiting.</param>
    /// <param name="benchmarkAppendTarget">
    /// Benchmarks only (bench/Proctor.Bench.Gateway, decision 0031): replaces where the ledger's appends commit, so the
    /// end-to-end benchmark can measure the cost of durability by subtraction. No configuration key, flag or variable
    /// reaches it: the <c>proctor</c> executable always passes null, and appends then commit to the durable log.
    /// </param>
    public static async Task<WebApplication> BuildAsync(GatewayModel model, CancellationToken cancellationToken, Action<ILoggingBuilder>? extraLogging = null, GatewayMeterTags? meterTags = null, TimeProvider? time = null, Func<IEntryStore, IEntryStore>? benchmarkAppendTarget = null)
    {
        time ??= TimeProvider.System;

        // The ledger opens before anything is built: every other part records into it, and one that cannot open
        // must end the start before anything listens. Its background failures are logged once logging exists.
        var ledgerLog = new DeferredLog();
        var evidence = await EvidenceStore.OpenAsync(model.Storage, model.Masking, time,
            ex => ledgerLog.Logger?.LogError(ex, "The ledger checkpoint could not be signed: {Reason}. Calls are still recorded; the gap will show in the checkpoint times.", ex.Message),
            ex => ledgerLog.Logger?.LogError(ex, "Payloads past storage.retention could not be purged: {Reason}. They are kept; the next round tries again.", ex.Message), cancellationToken, (meterTags ?? GatewayMeterTags.None).Tags, benchmarkAppendTarget).ConfigureAwait(false);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.Logging.SetMinimumLevel(Enum.Parse<LogLevel>(model.Logging.Level, ignoreCase: true));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // ASP.NET Core starts an Activity for every request while this category logs at any level, to scope its
        // request-started and request-finished lines (Information, which the filter above drops anyway). Off, the
        // requests go without one: 0.6% of the gateway's CPU and 1% of its allocations on the call path (issue 13).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        extraLogging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls(model.Gateway.Listen.ToString());
        // The gateway answers an oversized body with 413 itself; Kestrel's own limit sits above it so that
        // the rest of a moderately oversized body is drained and the client can read that answer.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = model.Gateway.MaxRequestBytes * 2 + 1);
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = LifecycleDefinition.ShutdownBudget(model));

        var services = builder.Services;
        services.AddSingleton(time);
        services.AddSingleton(model);
        services.AddSingleton(evidence);
        var http = UpstreamHttpClient(model, time);
        services.AddSingleton(http);
        var masker = new EngineMasker(evidence.Masking);
        services.AddSingleton<IPayloadMasker>(masker);
        services.AddSingleton(sp => new LedgerRecorder(evidence.Ledger, Environment.MachineName, sp.GetRequiredService<TimeProvider>(), masker));
        services.AddSingleton<ICallRecorder>(sp => sp.GetRequiredService<LedgerRecorder>());
        services.AddSingleton<ISessionRecorder>(sp => sp.GetRequiredService<LedgerRecorder>());
        services.AddSingleton<IAccessRecorder>(sp => sp.GetRequiredService<LedgerRecorder>());
        services.AddSingleton<IMessageRecorder>(sp => sp.GetRequiredService<LedgerRecorder>());
        services.AddSingleton(sp => new UpstreamFactory(http, sp.GetRequiredService<ILoggerFactory>(), new EngineLogLineMasker(evidence.Masking), sp.GetRequiredService<LedgerRecorder>(), time));
        services.AddSingleton<UpstreamRegistryHolder>();
        services.AddSingleton(sp => sp.GetRequiredService<UpstreamLifecycle>().Registry);
        services.AddSingleton(meterTags ?? GatewayMeterTags.None);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<CallTelemetry>();
        services.AddSingleton(sp => new WebhookNotifier(model.Notifications, evidence.Masking, WebhookNotifier.CreateHttpClient(), time, sp.GetRequiredService<ILoggerFactory>(),
            new NotificationMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), (meterTags ?? GatewayMeterTags.None).Tags)));
        services.AddSingleton<INoticeSink>(sp => sp.GetRequiredService<WebhookNotifier>());
        services.AddSingleton(new PolicyInForce(model.Policy));
        services.AddSingleton(sp => new ToolDefinitionPins(new SqliteToolPinStore(model.Storage.Path), new ToolPinEvents(evidence.Ledger, time), time));
        services.AddSingleton(sp => new ApprovalDesk(new SqliteApprovalStore(model.Storage.Path), new NotifyingApprovalRecorder(new ApprovalEvents(evidence.Ledger, Environment.MachineName, time), sp.GetRequiredService<INoticeSink>(), time), new InProcessApprovalSignals(), time, model.Approvals.Validity));
        var grants = new ActiveGrants();
        services.AddSingleton(grants);
        services.AddSingleton(sp => new GrantDesk(new SqliteGrantStore(model.Storage.Path), new NotifyingGrantRecorder(new GrantEvents(evidence.Ledger, Environment.MachineName, time), sp.GetRequiredService<INoticeSink>(), time), time,
            new GrantLimits(model.Access.MaxDuration, model.Access.BreakGlassMaxDuration, model.Access.RequestValidity)));
        services.AddSingleton<GrantListChanges>();
        services.AddSingleton<GrantRefresh>();
        var heldArguments = new HeldArguments(masker);
        services.AddSingleton(sp => new ApproveStage(sp.GetRequiredService<ApprovalDesk>(), evidence.ApprovalDigest, evidence.ApprovalState, masker, model.Approvals, model.Identity, ApiBase(model), time, sp.GetRequiredService<ILogger<ApproveStage>>(), heldArguments));
        services.AddSingleton(sp => PipelineDefinition.Build(model, sp.GetRequiredService<PolicyInForce>(), grants, sp.GetRequiredService<ToolDefinitionPins>(), sp.GetRequiredService<ApproveStage>(), sp.GetRequiredService<IPayloadMasker>(), sp.GetRequiredService<ICallRecorder>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<CallTelemetry>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<TaskBindings>()));
        // System.Runtime: the runtime's own meter (GC heap, working set), so memory is watched where calls are.
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(GatewayMetrics.MeterName, LedgerMetrics.MeterName, NotificationMetrics.MeterName, "System.Runtime").AddPrometheusExporter());
        services.AddSingleton<ResourceRoutes>();
        services.AddSingleton<TaskBindings>(); // decision 0043: read by TaskOwnershipStage and, on /mcp, by the dispatcher
        services.AddSingleton(sp => new RequestAccessTool(sp.GetRequiredService<GrantDesk>(), sp.GetRequiredService<PolicyInForce>(), sp.GetRequiredService<IPayloadMasker>(), sp.GetRequiredService<ICallRecorder>(), model.Identity, time));
        services.AddSingleton<McpDispatcher>();
        services.AddSingleton<ModernCallCoordinator>();
        services.AddSingleton<ListenBridge>();
        services.AddSingleton<UpstreamSubscriptions>();
        var limits = model.Gateway.Limits;
        services.AddSingleton(sp => new ClientSessionStore(sp.GetRequiredService<TimeProvider>(), SessionIdleTimeout, limits.MaxSessions, limits.MaxSessionsPerIdentity,
            new SessionReplayLimits(limits.MaxReplayEventsPerSession, limits.MaxReplayBytesPerSession)));
        services.AddSingleton<UnsolicitedRelay>();
        services.AddSingleton<ClientNotificationRelay>();
        services.AddSingleton<ProtocolRefusals>();
        services.AddSingleton<ClientFront>();
        var agentKeys = model.Identity is { AgentKeys: true } ? new AgentKeyAuthenticator(new SqliteAgentKeyStore(model.Storage.Path), time) : null;
        var httpOptions = new McpHttpOptions(model.Gateway.MaxRequestBytes, model.Gateway.AllowedOrigins, IsLoopback(model.Gateway.Listen)) { Limits = model.Gateway.Limits };
        services.AddProctorHttp(httpOptions, model.Identity, agentKeys, model.Upstreams);
        services.AddSingleton<IReadinessSource>(sp => new LedgerReadiness(evidence.Ledger, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IReadinessSource>(sp => new PolicyReadiness(sp.GetRequiredService<PolicyInForce>()));
        var auditReads = new AuditReadRecorder(evidence.Ledger, Environment.MachineName, time);
        services.AddProctorApi(new ExaminerSources(evidence.Store, evidence.Store, evidence.Store, evidence.Signer.PublicKey), auditReads);
        services.AddSingleton<IEvidenceExporter>(EvidenceExports.Exporter(evidence.Store, evidence.Signer, evidence.Checkpointer, ReportSettings.From(model), time));
        services.AddProctorEvidenceApi(auditReads, new EvidenceExportRecorder(evidence.Ledger, time));
        services.AddProctorApprovalsApi(sp => new ApprovalsApi(sp.GetRequiredService<ApprovalDesk>(), auditReads, masker, model.Identity, time, heldArguments), sp => new ApprovalStatusPage(sp.GetRequiredService<ApprovalDesk>(), auditReads, model.Identity, time));
        services.AddProctorAccessApi(sp => new AccessApi(sp.GetRequiredService<GrantDesk>(), sp.GetRequiredService<PolicyInForce>(), auditReads, masker, model.Identity, time));
        services.AddProctorConsole(model.Console, model.Identity, auditReads);
        services.AddGatewayLifecycle();

        var app = builder.Build();
        ledgerLog.Logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Proctor.Ledger");
        if (model.Identity is null)
        {
            app.Logger.LogWarning("No identity section is configured: every caller is anonymous. Configure identity (docs/configuration.md) before exposing the gateway beyond this machine.");
        }

        app.UseProctorEdge();
        app.MapProctorGateway();
        app.MapProctorApi();
        app.MapProctorConsole();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    /// <summary>One connection pool for upstream calls and token requests; token requests skip the credentials handler, which would otherwise call itself.</summary>
    private static HttpClient UpstreamHttpClient(GatewayModel model, TimeProvider time)
    {
        var sockets = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) };
        var credentials = new UpstreamCredentialsHandler(model.Upstreams.Values, new HttpMessageInvoker(sockets, disposeHandler: false), time) { InnerHandler = sockets };
        return new HttpClient(credentials) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Where callers and approvers reach the REST API: the origin of <c>identity.resource</c> (the gateway's public name), else the listen address.</summary>
    private static Uri ApiBase(GatewayModel model) => new((model.Identity?.Resource ?? model.Gateway.Listen).GetLeftPart(UriPartial.Authority));

    private static bool IsLoopback(Uri listen) =>
        listen.IsLoopback || (IPAddress.TryParse(listen.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>A logger for callbacks created before the host's logging exists; lines before that are dropped (none occur: the ledger's rounds start with the host).</summary>
    private sealed class DeferredLog
    {
        public ILogger? Logger { get; set; }
    }
}
