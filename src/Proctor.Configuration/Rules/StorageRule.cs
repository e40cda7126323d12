using Proctor.Configuration.Binding;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Rules;

/// <summary>A retention check interval means nothing without a retention period.</summary>
internal sealed class StorageRule : IConfigurationRule
{
    public void Check(ProctorOptions options, BindingContext context)
    {
        if (context.IsWritten("storage", "retentionCheckInterval") && !context.IsRefused("storage.retentionCheckInterval") && !context.IsWritten("storage", "retention"))
        {
            context.Add("storage.retentionCheckInterval", $"has no effect without storage.retention; set the retention period too, e.g. retention: {RetentionFormat.Example}, or remove this key");
        }
    }
}
