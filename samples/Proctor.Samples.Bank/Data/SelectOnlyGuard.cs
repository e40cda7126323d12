using ModelContextProtocol;

namespace Proctor.Samples.Bank.Data;

/// <summary>
/// Admits a single SELECT (or WITH … SELECT) statement. A ';' anywhere but at the end is refused, even inside
/// a string literal: refusing a rare valid query is safer than running a second statement.
/// </summary>
internal static class SelectOnlyGuard
{
    private static readonly char[] WordEnds = [' ', '\t', '\r', '\n', '('];

    public static void Ensure(string sql)
    {
        var statement = sql.Trim().TrimEnd(';').TrimEnd();
        var firstWord = statement.Split(WordEnds, 2)[0];
        if (!firstWord.Equals("SELECT", StringComparison.OrdinalIgnoreCase)
            && !firstWord.Equals("WITH", StringComparison.OrdinalIgnoreCase))
        {
            throw new McpException("Only read-only SELECT queries are allowed.");
        }

        if (statement.Contains(';'))
        {
            throw new McpException("Only a single statement is allowed: remove the ';' separators.");
        }
    }
}
