using System.Reflection;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Proctor.Configuration.Models;
using Proctor.Evidence;
using Proctor.Http.Api;
using Proctor.Http.Console;

namespace Proctor.Http;

public static class ConsoleEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the web console under <c>/console</c> (docs/console.md) and sends <c>/</c> there. It has no endpoint policy:
    /// each page admits by its cookie through <see cref="ConsoleGate"/>, so the bearer challenges of <c>/mcp</c> and
    /// <c>/api</c> stay exactly as they were and the console's redirects never reach them.
    /// </summary>
    public static IEndpointRouteBuilder MapProctorConsole(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", context => Redirect(context, ConsoleRoutes.Home));
        endpoints.MapGet(ConsoleRoutes.Assets + "/{name}", ServeAssetAsync);
        var services = endpoints.ServiceProvider;
        if (services.GetService<SignInPage>() is not { } signIn)
        {
            endpoints.MapMethods(ConsoleRoutes.Root + "/{**rest}", ["GET", "POST"], context => ConsoleLayout.WriteAsync(context, null, "Console unavailable", html => html
                .Element("h1", "The console needs an identity section")
                .Element("p", "Only verified people may use the console, and this gateway has no identity: section. Configure identity and identity.roles (docs/configuration.md, docs/console.md)."), StatusCodes.Status404NotFound));
            return endpoints;
        }

        endpoints.MapGet(ConsoleRoutes.SignIn, signIn.ShowAsync);
        endpoints.MapPost(ConsoleRoutes.SignIn, signIn.TokenAsync);
        endpoints.MapPost(ConsoleRoutes.SignOut, services.GetRequiredService<SignOutAction>().PostAsync);
        if (services.GetService<ProviderSignIn>() is { } provider)
        {
            endpoints.MapGet(ConsoleRoutes.SignInProvider, provider.StartAsync);
            endpoints.MapGet(ConsoleRoutes.Callback, provider.CallbackAsync);
        }

        endpoints.MapGet(ConsoleRoutes.Home, services.GetRequiredService<HomePage>().ShowAsync);
        var approvals = services.GetRequiredService<ApprovalsPage>();
        endpoints.MapGet(ConsoleRoutes.Approvals, approvals.ShowAsync);
        endpoints.MapGet(ConsoleRoutes.PendingJson, approvals.PendingAsync);
        endpoints.MapPost(ConsoleRoutes.Approvals + "/{id}/decide", approvals.DecideAsync);
        var access = services.GetRequiredService<AccessPage>();
        endpoints.MapGet(ConsoleRoutes.Access, access.ShowAsync);
        endpoints.MapPost(ConsoleRoutes.Access, access.RequestAsync);
        endpoints.MapPost(ConsoleRoutes.Access + "/{id}/approve", access.ApproveAsync);
        endpoints.MapPost(ConsoleRoutes.Access + "/{id}/deny", access.DenyAsync);
        endpoints.MapPost(ConsoleRoutes.Access + "/{id}/revoke", access.RevokeAsync);

        var sessions = services.GetRequiredService<SessionsPage>();
        endpoints.MapGet(ConsoleRoutes.Sessions, sessions.ListAsync);
        endpoints.MapGet(ConsoleRoutes.Sessions + "/{id}", sessions.ReplayAsync);
        endpoints.MapGet(ConsoleRoutes.Audit, services.GetRequiredService<AuditPage>().ShowAsync);
        var ledger = services.GetRequiredService<LedgerPage>();
        endpoints.MapGet(ConsoleRoutes.Ledger, ledger.ShowAsync);
        endpoints.MapPost(ConsoleRoutes.Ledger + "/verify", ledger.VerifyAsync);
        var export = services.GetRequiredService<ExportPage>();
        endpoints.MapGet(ConsoleRoutes.Export, export.ShowAsync);
        endpoints.MapPost(ConsoleRoutes.Export, export.DownloadAsync);
        return endpoints;
    }

    /// <summary>Registers the console; call after <c>AddProctorApi</c> and the approvals and access APIs, whose handlers its pages run.</summary>
    internal static IServiceCollection AddProctorConsole(this IServiceCollection services, ConsoleSettings settings, IdentitySettings? identity, IAuditReadRecorder recorder)
    {
        if (identity is null)
        {
            return services;
        }

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "proctor-console-antiforgery";
            options.Cookie.Path = ConsoleRoutes.Root;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.FormFieldName = "__antiforgery";
            options.HeaderName = null;
        });
        services.AddSingleton(settings);
        services.AddSingleton(sp => new ConsoleSession(sp.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(), settings.IdleTimeout, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ConsoleGate>();
        services.AddSingleton<SignOutAction>();
        services.AddSingleton(sp => new SignInPage(settings, sp.GetRequiredService<ConsoleSession>(), sp.GetRequiredService<IAntiforgery>(), sp.GetRequiredService<Identity.BearerAuthentication>()));
        if (settings.ClientId is not null)
        {
            services.AddSingleton(sp => new ProviderSignIn(settings, identity, sp.GetRequiredService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>(), new HttpClient { Timeout = TimeSpan.FromSeconds(30) },
                sp.GetRequiredService<ConsoleSession>(), sp.GetRequiredService<SignInPage>(), sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton(sp => new HomePage(sp.GetRequiredService<ConsoleGate>(), identity, sp.GetRequiredService<ApprovalsApi>(), sp.GetRequiredService<AccessApi>()));
        services.AddSingleton(sp => new ApprovalsPage(sp.GetRequiredService<ConsoleGate>(), sp.GetRequiredService<ApprovalsApi>(), sp.GetRequiredService<IAntiforgery>(), identity));
        services.AddSingleton(sp => new AccessPage(sp.GetRequiredService<ConsoleGate>(), sp.GetRequiredService<AccessApi>(), sp.GetRequiredService<IAntiforgery>(), identity));
        services.AddSingleton(sp => new SessionsPage(sp.GetRequiredService<ConsoleGate>(), sp.GetRequiredService<ExaminerApi>(), identity));
        services.AddSingleton(sp => new AuditPage(sp.GetRequiredService<ConsoleGate>(), sp.GetRequiredService<ExaminerApi>(), identity));
        services.AddSingleton(sp => new LedgerPage(sp.GetRequiredService<ConsoleGate>(), sp.GetRequiredService<ExaminerApi>(), sp.GetRequiredService<IAntiforgery>(), identity));
        services.AddSingleton(sp => new ExportPage(sp.GetRequiredService<ConsoleGate>(), sp.GetRequiredService<IAntiforgery>(), recorder, identity, sp.GetRequiredService<TimeProvider>(), sp.GetService<EvidenceApi>()));
        return services;
    }

    private static Task Redirect(HttpContext context, string to)
    {
        context.Response.Redirect(to);
        return Task.CompletedTask;
    }

    private static readonly Dictionary<string, string> AssetTypes = new(StringComparer.Ordinal)
    {
        ["console.css"] = "text/css; charset=utf-8",
        ["console.js"] = "text/javascript; charset=utf-8",
        ["icon.svg"] = "image/svg+xml",
    };

    private static async Task ServeAssetAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["name"]!;
        ConsoleHeaders.Apply(context.Response);
        if (!AssetTypes.TryGetValue(name, out var type) || Assembly.GetExecutingAssembly().GetManifestResourceStream("Proctor.Console." + name) is not { } asset)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await using (asset)
        {
            context.Response.ContentType = type;
            context.Response.Headers.CacheControl = "no-cache";
            await asset.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
