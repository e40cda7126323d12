namespace Proctor.Policy;

/// <summary>
/// The known word an operator most likely meant, for "did you mean …?" in messages. Public because configuration
/// keys use the same judgement (Proctor.Configuration reads policies, so this is the lowest library both share).
/// </summary>
public static class Suggestions
{
    public static string? Closest(string written, IEnumerable<string> known)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(written.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (IsPlausible(written, candidate, distance) && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    private static bool IsPlausible(string written, string candidate, int distance)
    {
        var longer = Math.Max(written.Length, candidate.Length);
        var shorter = Math.Min(written.Length, candidate.Length);
        if (distance <= Math.Max(2, longer / 3))
        {
            return true;
        }

        // "Info" for "Information", "arguments" for "args": a shared start says more than the length.
        var common = 0;
        while (common < shorter && char.ToLowerInvariant(written[common]) == char.ToLowerInvariant(candidate[common]))
        {
            common++;
        }

        return common >= 3 && common * 2 >= shorter;
    }

    /// <summary>"; did you mean 'x'?" or nothing.</summary>
    public static string DidYouMean(string written, IEnumerable<string> known) =>
        Closest(written, known) is { } near ? $"; did you mean '{near}'?" : "";

    /// <summary>Edit distance counting an adjacent transposition as one edit ("tiemout").</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
