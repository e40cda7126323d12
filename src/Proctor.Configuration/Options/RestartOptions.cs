namespace Proctor.Configuration.Options;

/// <summary>An upstream's <c>restart:</c> back-off as written.</summary>
internal sealed class RestartOptions
{
    public string? InitialBackoff { get; set; }

    public string? MaxBackoff { get; set; }
}
