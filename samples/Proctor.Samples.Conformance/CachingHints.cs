using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Protocol;
using Proctor.Samples.Conformance.Resources;

namespace Proctor.Samples.Conformance;

/// <summary>
/// Caching hints (SEP-2549): every cacheable result says for how long (<c>ttlMs</c>) and for whom
/// (<c>cacheScope</c>) it stays valid. The lists and static resources are the same for every
/// caller, hence public; the tool and prompt lists change whenever a client triggers a change,
/// and the watched resource changes every few seconds, so those are stale at once.
/// The hints belong to the 2026-07-28 result shapes; earlier revisions do not get them.
/// </summary>
internal static class CachingHints
{
    private static readonly TimeSpan Stable = TimeSpan.FromMinutes(5);

    public static void AddCachingHints(this IMcpRequestFilterBuilder filters)
    {
        filters.AddListToolsFilter(next => async (request, cancellationToken) =>
            Mark(request, await next(request, cancellationToken), TimeSpan.Zero));
        filters.AddListPromptsFilter(next => async (request, cancellationToken) =>
            Mark(request, await next(request, cancellationToken), TimeSpan.Zero));
        filters.AddListResourcesFilter(next => async (request, cancellationToken) =>
            Mark(request, await next(request, cancellationToken), Stable));
        filters.AddListResourceTemplatesFilter(next => async (request, cancellationToken) =>
            Mark(request, await next(request, cancellationToken), Stable));
        filters.AddReadResourceFilter(next => async (request, cancellationToken) =>
            Mark(request, await next(request, cancellationToken), request.Params.Uri == WatchedResource.Uri ? TimeSpan.Zero : Stable));
    }

    private static TResult Mark<TParams, TResult>(RequestContext<TParams> request, TResult result, TimeSpan timeToLive)
        where TResult : ICacheableResult
    {
        if (!ProtocolEra.UsesPerRequestMetadata(request))
        {
            return result;
        }

        result.TimeToLive = timeToLive;
        result.CacheScope = CacheScope.Public;
        return result;
    }
}
