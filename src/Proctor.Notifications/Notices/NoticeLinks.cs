namespace Proctor.Notifications.Notices;

/// <summary>Absolute links into the gateway for people: the configured public address followed by a notice's path.</summary>
internal sealed class NoticeLinks(Uri publicUrl)
{
    // Kept without a trailing slash, so that a public address with a path prefix (https://bank.example/proctor) keeps it.
    private readonly string _base = publicUrl.AbsoluteUri.TrimEnd('/');

    /// <summary>The link for <paramref name="path"/>, checked (<see cref="NoticeValidation"/>) to start with one slash.</summary>
    public Uri For(string path)
    {
        var link = new Uri(_base + path, UriKind.Absolute);

        // A path cannot move the link to another host (checked before), so this only guards against a change there.
        return link.Authority == publicUrl.Authority && link.Scheme == publicUrl.Scheme
            ? link
            : throw new ArgumentException($"ActPath \"{path}\" leads away from notifications.publicUrl.", nameof(path));
    }
}
