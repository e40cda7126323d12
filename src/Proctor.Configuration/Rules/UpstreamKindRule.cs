using System.Reflection;
using Proctor.Configuration.Binding;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Rules;

/// <summary>
/// Every upstream is exactly one kind: a local stdio server (<c>command</c>) or a remote one (<c>url</c>),
/// decided by the key written even when its value is malformed; keys of the other kind are refused.
/// </summary>
internal sealed class UpstreamKindRule : IConfigurationRule
{
    private static readonly string[] StdioKeys = KeysMarked<StdioOnlyAttribute>();
    private static readonly string[] HttpKeys = KeysMarked<HttpOnlyAttribute>();

    public void Check(ProctorOptions options, BindingContext context)
    {
        foreach (var name in options.Upstreams.Keys)
        {
            var path = $"upstreams.{name}";
            var written = context.KeysOf(path);
            switch (Kind(path, context))
            {
                case UpstreamKind.Unreadable:
                    break;
                case UpstreamKind.None:
                    context.Add(path, "needs \"command\" (a local server the gateway starts) or \"url\" (a remote server); add one, e.g. url: \"https://mcp.example.com/mcp\"");
                    break;
                case UpstreamKind.Both:
                    context.Add(path, "has both \"command\" and \"url\"; keep \"command\" for a local server the gateway starts, or \"url\" for a remote server");
                    break;
                case UpstreamKind.Stdio:
                    foreach (var key in written.Intersect(HttpKeys))
                    {
                        context.Add($"{path}.{key}", "applies only to remote upstreams (those with \"url\"); remove it from this command upstream");
                    }

                    break;
                case UpstreamKind.Http:
                    foreach (var key in written.Intersect(StdioKeys))
                    {
                        context.Add($"{path}.{key}", "applies only to stdio upstreams (those with \"command\"); remove it from this url upstream");
                    }

                    break;
            }
        }
    }

    public static UpstreamKind Kind(string path, BindingContext context) =>
        context.IsRefused(path)
            ? UpstreamKind.Unreadable
            : (context.IsWritten(path, "command"), context.IsWritten(path, "url")) switch
            {
                (true, false) => UpstreamKind.Stdio,
                (false, true) => UpstreamKind.Http,
                (false, false) => UpstreamKind.None,
                _ => UpstreamKind.Both,
            };

    private static string[] KeysMarked<T>()
        where T : Attribute =>
        [.. ObjectSchema.Of<UpstreamOptions>().Members.Where(member => member.Property.GetCustomAttribute<T>() is not null).Select(member => member.Key)];
}

internal enum UpstreamKind
{
    None,
    Stdio,
    Http,
    Both,

    /// <summary>The entry is not a mapping at all; only its name is checked.</summary>
    Unreadable,
}
