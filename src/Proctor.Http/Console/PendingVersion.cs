using System.Security.Cryptography;
using System.Text;

namespace Proctor.Http.Console;

/// <summary>
/// What the inbox's poll compares: a hash of the pending requests' ids, so that an unchanged inbox costs one small
/// unrecorded answer and the poll reveals nothing of the requests themselves (decision 0054).
/// </summary>
internal static class PendingVersion
{
    public static string Of(IEnumerable<string> ids) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', ids.Order(StringComparer.Ordinal)))))[..32];
}
