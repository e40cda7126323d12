using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Proctor.Http.Console;

/// <summary>
/// Runs a REST API handler for a console page and hands back its JSON answer instead of sending it (decision 0050):
/// the console reads and decides through the very code <c>/api</c> runs, so its reads are recorded as <c>audit.read</c>
/// and its decisions go through the same rules and the same ledger records. The request is shaped as the API expects
/// it (query, JSON body); the console's own response stays untouched.
/// </summary>
internal static class ApiCall
{
    public sealed record Answer(int Status, JsonNode? Body)
    {
        public bool Succeeded => Status is >= 200 and < 300;

        /// <summary>The API's error sentence (docs/api.md: <c>{ "error", "message" }</c>).</summary>
        public string Problem => Body?["message"]?.GetValue<string>() ?? $"The gateway answered {Status}.";
    }

    public static async Task<Answer> RunAsync(HttpContext context, Func<HttpContext, Task> handler, IDictionary<string, string>? query = null, JsonObject? body = null)
    {
        var request = context.Request;
        var response = context.Response;
        var (savedQuery, savedBody, savedLength, savedType) = (request.Query, request.Body, request.ContentLength, request.ContentType);
        var savedResponseBody = response.Body;
        var savedStatus = response.StatusCode;
        using var captured = new MemoryStream();
        try
        {
            request.Query = new QueryCollection(query?.ToDictionary(p => p.Key, p => new Microsoft.Extensions.Primitives.StringValues(p.Value)) ?? []);
            var bytes = body is null ? [] : Encoding.UTF8.GetBytes(body.ToJsonString());
            request.Body = new MemoryStream(bytes);
            request.ContentLength = bytes.Length;
            request.ContentType = body is null ? null : "application/json";
            response.Body = captured;
            await handler(context).ConfigureAwait(false);
            var status = response.StatusCode;
            return new Answer(status, captured.Length == 0 ? null : JsonNode.Parse(captured.ToArray()));
        }
        catch (JsonException)
        {
            return new Answer(StatusCodes.Status500InternalServerError, null);
        }
        finally
        {
            (request.Query, request.Body, request.ContentLength, request.ContentType) = (savedQuery, savedBody, savedLength, savedType);
            response.Body = savedResponseBody;
            response.StatusCode = savedStatus;
            response.ContentType = null;
            response.Headers.Remove("Retry-After");
        }
    }
}
