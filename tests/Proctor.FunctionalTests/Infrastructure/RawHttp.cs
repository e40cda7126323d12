using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>
/// One HTTP/1.1 request written byte for byte on a socket: header lines no HttpClient would send (repeated
/// Authorization, control characters, raw non-ASCII bytes) reach the gateway exactly as an attacker sends them.
/// </summary>
internal static class RawHttp
{
    /// <param name="headerLines">Header lines without the line end, in the order sent; Host, Content-Length and Connection are added.</param>
    public static async Task<(int Status, string Head, string Body)> PostAsync(Uri endpoint, IReadOnlyList<byte[]> headerLines, byte[] body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, endpoint.Port);
        await using var stream = client.GetStream();
        var request = new MemoryStream();
        Write(request, $"POST {endpoint.PathAndQuery} HTTP/1.1\r\nHost: {endpoint.Authority}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n");
        foreach (var line in headerLines)
        {
            request.Write(line);
            Write(request, "\r\n");
        }

        Write(request, "\r\n");
        request.Write(body);
        await stream.WriteAsync(request.ToArray());

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = new MemoryStream();
        try
        {
            await stream.CopyToAsync(response, timeout.Token);
        }
        catch (IOException)
        {
            // The server may reset after answering a request it refused; what arrived is the answer.
        }

        var bytes = response.ToArray();
        var split = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        var head = Encoding.ASCII.GetString(split < 0 ? bytes : bytes[..split]);
        var status = head.Length >= 12 && int.TryParse(head.AsSpan(9, 3), out var code) ? code : 0;
        return (status, head, split < 0 ? "" : Encoding.UTF8.GetString(Unchunk(head, bytes[(split + 4)..])));
    }

    public static byte[] Line(string text) => Encoding.UTF8.GetBytes(text);

    private static void Write(Stream stream, string text) => stream.Write(Encoding.ASCII.GetBytes(text));

    private static byte[] Unchunk(string head, byte[] body)
    {
        if (!head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        var result = new MemoryStream();
        var rest = body.AsSpan();
        while (rest.IndexOf("\r\n"u8) is var end and > 0
            && int.TryParse(Encoding.ASCII.GetString(rest[..end]), System.Globalization.NumberStyles.HexNumber, null, out var size) && size > 0)
        {
            result.Write(rest.Slice(end + 2, Math.Min(size, rest.Length - end - 2)));
            rest = rest[Math.Min(rest.Length, end + 2 + size + 2)..];
        }

        return result.ToArray();
    }
}
