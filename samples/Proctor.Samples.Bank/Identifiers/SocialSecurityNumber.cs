namespace Proctor.Samples.Bank.Identifiers;

/// <summary>
/// US SSNs in <c>ddd-dd-dddd</c> form. There is no checksum; the SSA never issues area 000, 666 or 900–999,
/// group 00 or serial 0000.
/// </summary>
internal static class SocialSecurityNumber
{
    public static string Generate(Random random)
    {
        int area;
        do
        {
            area = random.Next(1, 900);
        }
        while (area == 666);

        return $"{area:D3}-{random.Next(1, 100):D2}-{random.Next(1, 10_000):D4}";
    }

    public static bool IsValid(string value)
    {
        if (value.Length != 11 || value[3] != '-' || value[6] != '-'
            || !value.Remove(6, 1).Remove(3, 1).All(char.IsAsciiDigit))
        {
            return false;
        }

        var area = int.Parse(value.AsSpan(0, 3));
        return area is not (0 or 666 or >= 900) && value[4..6] != "00" && value[7..] != "0000";
    }
}
