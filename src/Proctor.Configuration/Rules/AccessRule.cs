using Proctor.Configuration.Binding;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Rules;

/// <summary><c>access</c>: every limit is a positive duration (a zero maximum would refuse every grant without saying why).</summary>
internal sealed class AccessRule : IConfigurationRule
{
    public void Check(ProctorOptions options, BindingContext context)
    {
        var access = options.Access;
        Positive(context, "access.maxDuration", access.MaxDuration, "\"8h\"");
        Positive(context, "access.breakGlassMaxDuration", access.BreakGlassMaxDuration, "\"1h\"");
        Positive(context, "access.requestValidity", access.RequestValidity, "\"24h\"");
    }

    private static void Positive(BindingContext context, string key, TimeSpan value, string example)
    {
        if (!context.IsRefused(key) && value <= TimeSpan.Zero)
        {
            context.Add(key, $"{value.TotalSeconds:0.###}s is not a positive duration; no grant could ever be given. Use e.g. {example}");
        }
    }
}
