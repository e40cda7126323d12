using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Proctor.Configuration;
using Proctor.Evidence;
using Proctor.Http;
using Proctor.Http.Api;
using Proctor.Http.Mcp;
using Proctor.Identity.AgentKeys;
using Proctor.Identity.Tokens;
using Proctor.Mcp.Bridging;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;
using Proctor.Mcp.Upstreams;
using Proctor.Mcp.Upstreams.Credentials;
using Proctor.Storage.Sqlite.AgentKeys;

namespace Proctor.Gateway;

/// <summary>Composition root: turns a validated configuration into a running gateway. Wiring only.</summary>
internal static class GatewayHost
{
    /// <summary>Idle legacy sessions are forgotten after this; clients re-initialize on the 404.</summary>
    private static readonly TimeSpan SessionIdleTimeout = TimeSpan.FromMinutes(30);

    public static async Task RunAsync(GatewayModel model, CancellationToken cancellationToken, Action<WebApplication>? started = null)
    {
        await using var app = await BuildAsync(model, cancellationToken).ConfigureAwait(false);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        started?.Invoke(app);
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <param name="extraLogging">Adds log providers (tests capture every line to prove no secret is logged).</param>
    public static async Task<WebApplication> BuildAsync(GatewayModel model, CancellationToken cancellationToken, Action<ILoggingBuilder>? extraLogging = null)
    {
        ILogger? checkpointLog = null;
        var evidence = await EvidenceStore.OpenAsync(model.Storage, model.Masking, TimeProvider.System,
            ex => checkpointLog?.LogError(ex, "The ledger checkpoint could not be signed: {Reason}. Calls are still recorded; the gap will show in the checkpoint times.", ex.Message),
            ex => checkpointLog?.LogError(ex, "Payloads past storage.retention could not be purged: {Reason}. They are kept; the next round tries again.", ex.Message), cancellationToken).ConfigureAwait(false);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; });
        builder.Logging.SetMinimumLevel(Enum.Parse<LogLevel>(model.Logging.Level, ignoreCase: true));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        extraLogging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls(model.Gateway.Listen.ToString());
        // The gateway answers an oversized body with 413 itself; Kestrel's own limit sits above it so that
        // the rest of a moderately oversized body is drained and the client can read that answer.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = model.Gateway.MaxRequestBytes * 2 + 1);
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = model.Gateway.ShutdownTimeout);

        var sockets = new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1) };

        // Token requests share the connection pool but not the credentials handler, which would otherwise call itself.
        var credentials = new UpstreamCredentialsHandler(model.Upstreams.Values, new HttpMessageInvoker(sockets, disposeHandler: false)) { InnerHandler = sockets };
        var http = new HttpClient(credentials) { Timeout = Timeout.InfiniteTimeSpan };
        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(model);
        services.AddSingleton(http);
        var masker = new EngineMasker(evidence.Masking);
        var recorder = new LedgerRecorder(evidence.Ledger, Environment.MachineName, TimeProvider.System, masker);
        services.AddSingleton(sp => new UpstreamFactory(http, sp.GetRequiredService<ILoggerFactory>(), new EngineLogLineMasker(evidence.Masking), recorder));
        services.AddSingleton(sp => sp.GetRequiredService<UpstreamRegistryHolder>().Registry);
        services.AddSingleton<UpstreamRegistryHolder>();
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton(evidence);
        services.AddSingleton<IPayloadMasker>(masker);
        services.AddSingleton<ISessionRecorder>(recorder);
        services.AddSingleton<IAccessRecorder>(recorder);
        services.AddSingleton(sp => PipelineDefinition.Build(model, sp.GetRequiredService<IPayloadMasker>(), recorder, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<GatewayMetrics>(), sp.GetRequiredService<TimeProvider>()));
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(GatewayMetrics.MeterName).AddPrometheusExporter());
        services.AddSingleton<ResourceRoutes>();
        services.AddSingleton<McpDispatcher>();
        services.AddSingleton<ModernCallCoordinator>();
        services.AddSingleton<ListenBridge>();
        services.AddSingleton<UpstreamSubscriptions>();
        services.AddSingleton(sp => new ClientSessionStore(sp.GetRequiredService<TimeProvider>(), SessionIdleTimeout));
        services.AddSingleton<UnsolicitedRelay>();
        var authenticator = model.Identity is { } identity ? new JwtAuthenticator(identity, http) : null;
        var agentKeys = model.Identity is { AgentKeys: true } ? new AgentKeyAuthenticator(new SqliteAgentKeyStore(model.Storage.Path), TimeProvider.System) : null;
        services.AddProctorHttp(new McpHttpOptions(model.Gateway.MaxRequestBytes, model.Gateway.AllowedOrigins, IsLoopback(model.Gateway.Listen)), model.Identity, authenticator, agentKeys, model.Upstreams);
        services.AddProctorApi(model.Identity, new ExaminerSources(evidence.Store, evidence.Store, evidence.Store, evidence.Signer.PublicKey), new AuditReadRecorder(evidence.Ledger, Environment.MachineName, TimeProvider.System));

        var app = builder.Build();
        checkpointLog = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Proctor.Ledger");
        await EvidenceStartup.RecordAsync(evidence, model, app.Logger, cancellationToken).ConfigureAwait(false);
        evidence.Checkpointer.Start();
        evidence.Retention?.Start();
        app.Lifetime.ApplicationStopped.Register(() => evidence.DisposeAsync().AsTask().GetAwaiter().GetResult());
        var holder = app.Services.GetRequiredService<UpstreamRegistryHolder>();
        await holder.StartAsync(cancellationToken).ConfigureAwait(false);
        app.Services.GetRequiredService<UnsolicitedRelay>().Attach(holder.Registry);
        ReleaseSubscriptionsOfClosedSessions(app.Services);
        RecordClosedSessions(app.Services, app.Logger);
        app.Lifetime.ApplicationStopping.Register(() => holder.StopAsync().GetAwaiter().GetResult());
        app.Services.GetRequiredService<GatewayMetrics>().ObserveUpstreams(() => holder.Registry.Ordered.Select(u => (u.Name, u.Health.State == UpstreamState.Ready)));
        if (model.Identity is null)
        {
            app.Logger.LogWarning("No identity section is configured: every caller is anonymous. Configure identity (docs/configuration.md) before exposing the gateway beyond this machine.");
        }

        app.MapProctorGateway();
        app.MapProctorApi();
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }

    private static void ReleaseSubscriptionsOfClosedSessions(IServiceProvider services)
    {
        var dispatcher = services.GetRequiredService<McpDispatcher>();
        services.GetRequiredService<ClientSessionStore>().Closed += session =>
            _ = dispatcher.ReleaseAllAsync(session.Route, Caller.Anonymous(null, session.ClientInfo, session.ProtocolVersion) with { Subject = session.Owner }, session.Subscriptions, CancellationToken.None);
    }

    /// <summary>The end of a session is evidence too; if the ledger cannot take it, the log says so (the session is gone either way).</summary>
    private static void RecordClosedSessions(IServiceProvider services, ILogger logger)
    {
        var recorder = services.GetRequiredService<ISessionRecorder>();
        services.GetRequiredService<ClientSessionStore>().Closed += session => _ = CloseAsync(session.Id);

        async Task CloseAsync(string sessionId)
        {
            try
            {
                await recorder.ClosedAsync(sessionId, "closed", CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RecordingFailedException or ObjectDisposedException or InvalidOperationException)
            {
                logger.LogError("The close of session {SessionId} could not be recorded in the ledger: {Reason}", sessionId, ex.Message);
            }
        }
    }

    private static bool IsLoopback(Uri listen) =>
        listen.IsLoopback || (IPAddress.TryParse(listen.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
