namespace Proctor.Samples.Conformance.Hosting;

/// <summary>
/// Restricts the listen addresses to 127.0.0.1: the fixture is deliberately lenient towards
/// local callers (it answers sampling, elicitation and MRTR probes) and must never be reachable
/// from another machine.
/// </summary>
internal static class LoopbackUrls
{
    public const string DefaultUrl = "http://127.0.0.1:5123";

    public static void Apply(WebApplicationBuilder builder)
    {
        var configured = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        string[] urls = string.IsNullOrWhiteSpace(configured)
            ? [DefaultUrl]
            : configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        foreach (var url in urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
                || uri.Scheme != Uri.UriSchemeHttp
                || uri.Host != "127.0.0.1")
            {
                throw new InvalidOperationException(
                    $"Refusing to listen on '{url}': the conformance fixture only binds to http://127.0.0.1:PORT.");
            }
        }

        builder.WebHost.UseUrls(urls);
    }
}
