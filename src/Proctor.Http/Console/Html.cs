using System.Text;
using System.Text.Encodings.Web;

namespace Proctor.Http.Console;

/// <summary>
/// Writes console markup. Every text and attribute value goes through the HTML encoder; the only unencoded text is the
/// tag and attribute names written in this assembly's own code, so a value from the ledger can never become markup.
/// </summary>
internal sealed class Html
{
    private readonly StringBuilder _out = new();
    private readonly Stack<string> _open = new();

    /// <summary>Opens <paramref name="tag"/>; attributes come in name/value pairs, a null value leaves the attribute out.</summary>
    public Html Open(string tag, params string?[] attributes)
    {
        Start(tag, attributes);
        _open.Push(tag);
        return this;
    }

    public Html Close()
    {
        _out.Append("</").Append(_open.Pop()).Append('>');
        return this;
    }

    /// <summary>An element holding only text.</summary>
    public Html Element(string tag, string? text, params string?[] attributes) => Open(tag, attributes).Text(text).Close();

    /// <summary>An element without content (<c>input</c>, <c>meta</c>, <c>link</c>).</summary>
    public Html Void(string tag, params string?[] attributes)
    {
        Start(tag, attributes);
        return this;
    }

    public Html Text(string? text)
    {
        _out.Append(HtmlEncoder.Default.Encode(text ?? ""));
        return this;
    }

    public override string ToString() => _open.Count == 0 ? _out.ToString() : throw new InvalidOperationException($"<{_open.Peek()}> is still open.");

    private void Start(string tag, string?[] attributes)
    {
        if (attributes.Length % 2 != 0)
        {
            throw new ArgumentException("Attributes come in name/value pairs.", nameof(attributes));
        }

        _out.Append('<').Append(tag);
        for (var i = 0; i < attributes.Length; i += 2)
        {
            if (attributes[i + 1] is { } value)
            {
                _out.Append(' ').Append(attributes[i]).Append("=\"").Append(HtmlEncoder.Default.Encode(value)).Append('"');
            }
        }

        _out.Append('>');
    }
}
