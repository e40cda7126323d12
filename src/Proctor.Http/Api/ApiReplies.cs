using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Proctor.Http.Api;

/// <summary>REST answers: JSON bodies, and errors as <c>{ "error": code, "message": sentence }</c> (docs/api.md).</summary>
internal static class ApiReplies
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task JsonAsync(HttpContext context, JsonNode body, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store"; // ledger contents never sit in a shared cache
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, Indented), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>A JSON text already serialized (the proof file, byte for byte as <c>proctor audit proof</c> writes it).</summary>
    public static async Task RawJsonAsync(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task ErrorAsync(HttpContext context, int status, string error, string message) =>
        JsonAsync(context, new JsonObject { ["error"] = error, ["message"] = message }, status);
}
