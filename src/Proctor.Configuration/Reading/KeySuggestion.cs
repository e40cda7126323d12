namespace Proctor.Configuration.Reading;

/// <summary>Finds the known word an operator most likely meant, for "did you mean …?".</summary>
internal static class KeySuggestion
{
    /// <summary>Names used for the same thing by other tools (Claude Desktop, Docker, Kubernetes), mapped to ours.</summary>
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["mcpServers"] = "upstreams",
        ["servers"] = "upstreams",
        ["arguments"] = "args",
        ["environment"] = "env",
        ["workingDirectory"] = "cwd",
        ["workingDir"] = "cwd",
        ["workDir"] = "cwd",
        ["cmd"] = "command",
        ["endpoint"] = "url",
        ["uri"] = "url",
        ["origins"] = "allowedOrigins",
        ["cors"] = "allowedOrigins",
        ["address"] = "listen",
        ["urls"] = "listen",
        ["loglevel"] = "level",
        ["maxBodySize"] = "maxRequestBytes",
        ["backoff"] = "restart",
    };

    public static string? Closest(string written, IReadOnlyCollection<string> known)
    {
        if (Synonyms.TryGetValue(written, out var synonym) && known.Contains(synonym))
        {
            return synonym;
        }

        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(written.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (!IsPlausible(written, candidate, distance) || distance >= bestDistance)
            {
                continue;
            }

            best = candidate;
            bestDistance = distance;
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
