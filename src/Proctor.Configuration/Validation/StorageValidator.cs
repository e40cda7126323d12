using Proctor.Configuration.Options;

namespace Proctor.Configuration.Validation;

/// <summary>The <c>storage:</c> section: a usable database file path.</summary>
internal sealed class StorageValidator : IOptionsValidator
{
    public void Validate(ProctorOptions options, ValidationContext context)
    {
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
}
