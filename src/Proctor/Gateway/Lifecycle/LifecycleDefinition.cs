using Microsoft.Extensions.DependencyInjection;
using Proctor.Configuration;
using Proctor.Configuration.Models;

namespace Proctor.Gateway.Lifecycle;

/// <summary>
/// The gateway's start and stop, listed once, in order. The host starts these top to bottom and then the web server
/// (ASP.NET Core adds it last); a stop first runs every StoppingAsync (the drain, while the listener still answers),
/// then stops the web server and these bottom to top. So a shutdown reads: stop accepting and finish or cancel the
/// calls in flight; stop listening; close the sessions and release what they held upstream; stop the upstreams;
/// send the notices still queued (briefly); sign the final checkpoint over every event. Nothing stops while something
/// before it in that story may need it.
/// </summary>
internal static class LifecycleDefinition
{
    public static IServiceCollection AddGatewayLifecycle(this IServiceCollection services)
    {
        services.AddSingleton<BackgroundWork>();
        services.AddSingleton<UpstreamLifecycle>();
        services.AddHostedService<EvidenceLifecycle>();                                   // first up, last down: the ledger records all the rest
        services.AddHostedService<NotificationLifecycle>();                               // webhook senders: up before anything publishes, down after everything that might
        services.AddSingleton<PolicyReload>();
        services.AddHostedService(sp => sp.GetRequiredService<PolicyReload>());          // reloads record policy.load before the new policy decides
        services.AddHostedService(sp => sp.GetRequiredService<UpstreamLifecycle>());      // spawned once the ledger can record it; stopped when no call needs it
        services.AddHostedService<ApprovalExpiry>();                                      // expiries on record, those of a stop included, while the ledger is open
        services.AddHostedService(sp => sp.GetRequiredService<GrantRefresh>());          // active grants in memory for Authorize; grant expiries on record; list_changed to holders
        services.AddHostedService<SessionHousekeeping>();                                 // closed sessions: release their subscriptions, record the close; closes the rest at stop
        services.AddHostedService<DrainLifecycle>();                                      // stopping: not ready, refuse new requests, finish or cancel the calls in flight
        return services;
    }

    /// <summary>
    /// The host's own bound on a stop, a backstop behind the bounds each step keeps: the drain (shutdownTimeout, then
    /// the unwind of cancelled calls) and a margin for the listener to close. Later steps do not honour it: closing the
    /// sessions is bounded by itself, each upstream by its shutdownGrace, queued notices by NotificationLifecycle.StopGrace,
    /// and the final checkpoint must be signed.
    /// </summary>
    public static TimeSpan ShutdownBudget(GatewayModel model) =>
        model.Gateway.ShutdownTimeout + DrainLifecycle.UnwindWithin + TimeSpan.FromSeconds(2);
}
