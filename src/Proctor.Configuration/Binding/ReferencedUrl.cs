namespace Proctor.Configuration.Binding;

/// <summary>A URL that may hold secret references: as written (safe to show and hash) and as it will be called.</summary>
internal sealed record ReferencedUrl(string Reference, Uri Url);
