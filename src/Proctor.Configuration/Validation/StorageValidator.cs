using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>The <c>storage:</c> section: a usable database file path, and a retention period the gateway can apply.</summary>
internal sealed class StorageValidator : IOptionsValidator
{
    public void Validate(ProctorOptions options, ValidationContext context)
    {
        ValidateRetention(options.Storage, context);
        if (options.Storage.Path is not { } path)
        {
            return;
        }

        if (path.Trim().Length == 0)
        {
            context.Add("storage.path", $"is empty; name the SQLite database file, e.g. \"{StorageOptions.DefaultPath}\"");
        }
        else if (path.Contains("${", StringComparison.Ordinal))
        {
            context.Add("storage.path", "secret references are not resolved here; write the path itself, e.g. \"/var/lib/proctor/proctor.db\"");
        }
        else if (path.EndsWith('/') || path.EndsWith(System.IO.Path.DirectorySeparatorChar))
        {
            context.Add("storage.path", $"\"{path}\" names a folder; name the database file in it, e.g. \"{path}proctor.db\"");
        }
        else if (path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0)
        {
            context.Add("storage.path", $"\"{path}\" is not a valid path; use e.g. \"{StorageOptions.DefaultPath}\"");
        }
    }

    private static void ValidateRetention(StorageOptions storage, ValidationContext context)
    {
        if (storage.Retention is { } retention && !RetentionFormat.TryParse(retention, out _, out var problem))
        {
            context.Add("storage.retention", problem!);
        }

        if (storage.RetentionCheckInterval is not { } interval)
        {
            return;
        }

        if (!DurationFormat.TryParse(interval, "1h", out _, out var intervalProblem))
        {
            context.Add("storage.retentionCheckInterval", intervalProblem!);
        }
        else if (storage.Retention is null)
        {
            context.Add("storage.retentionCheckInterval", $"has no effect without storage.retention; set the retention period too, e.g. retention: {RetentionFormat.Example}, or remove this key");
        }
    }
}
