namespace Proctor.Configuration.Reading;

/// <summary>Full key paths as shown in messages: <c>upstreams.crm.headers.Authorization</c>, <c>gateway.allowedOrigins[0]</c>.</summary>
internal static class KeyPath
{
    public static string Child(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>The enclosing path; "" at the top. Keys may hold dots (<c>issuerKeys.https://login.example.com</c>), so this is for locating, not for parsing.</summary>
    public static string Parent(string path)
    {
        var cut = path.LastIndexOfAny(['.', '[']);
        return cut < 0 ? "" : path[..cut];
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="ancestor"/> or lies below it.</summary>
    public static bool IsWithin(string path, string ancestor) =>
        path.StartsWith(ancestor, StringComparison.Ordinal)
        && (path.Length == ancestor.Length || path[ancestor.Length] is '.' or '[');
}
