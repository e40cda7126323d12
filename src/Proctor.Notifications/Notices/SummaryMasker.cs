using System.Globalization;
using Proctor.Masking;

namespace Proctor.Notifications.Notices;

/// <summary>
/// Masks a notice's summary once more before it leaves the gateway (defence in depth: the caller masked it already),
/// as for storage (no audience, every rule masks) in the notice's server and tool scope, then shortens it. Masking
/// comes first: a value cut in half before masking might no longer be recognized, and its digits would leave.
/// </summary>
internal sealed class SummaryMasker(MaskingEngine engine)
{
    /// <summary>
    /// A notice is read in a chat line: a few hundred characters say what is asked; the full request is one click
    /// away. Well under Block Kit's 3,000-character limit on a section's text, which also holds the header lines.
    /// </summary>
    public const int MaxLength = 500;

    public const string Withheld = "(summary withheld: it could not be masked)";

    /// <summary>The summary to send; <paramref name="withheld"/> when masking failed and <see cref="Withheld"/> stands in for it.</summary>
    public string Mask(GatewayNotice notice, out bool withheld)
    {
        withheld = false;
        string masked;
        try
        {
            masked = engine.MaskText(notice.Summary, new MaskingScope(notice.Server, notice.Tool), MaskingAudience.Storage).Text;
        }
        catch (MaskingFailedException)
        {
            withheld = true;
            return Withheld;
        }

        return Shorten(masked);
    }

    /// <summary>Cut at a text element boundary, so that no surrogate pair or combining sequence is split.</summary>
    private static string Shorten(string text)
    {
        if (text.Length <= MaxLength)
        {
            return text;
        }

        var cut = 0;
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext() && elements.ElementIndex + elements.GetTextElement().Length <= MaxLength - 1)
        {
            cut = elements.ElementIndex + elements.GetTextElement().Length;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }
}
