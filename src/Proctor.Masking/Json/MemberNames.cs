namespace Proctor.Masking.Json;

/// <summary>
/// Keeps masked member names unique within their object (decision 0013): two SSN keys both masked to
/// <c>[SSN]</c>, or a masked key equal to a sibling's name, would make the second one overwrite the
/// first in every JSON reader. A masked name already taken gets <c>#2</c>, <c>#3</c>, … appended.
/// Both JSON paths build the taken set the same way (every original name of the object, once a first
/// name changes) and then claim names in document order, so they agree.
/// </summary>
internal static class MemberNames
{
    public static string Claim(string masked, HashSet<string> taken)
    {
        var candidate = masked;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = $"{masked}#{n}";
        }

        return candidate;
    }
}
