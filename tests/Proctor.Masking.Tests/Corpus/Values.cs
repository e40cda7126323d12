namespace Proctor.Masking.Tests.Corpus;

/// <summary>Random but valid (or deliberately invalid) identifiers, computed from their published rules.</summary>
internal sealed class Values(Random random)
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private const string Base64 = Alnum + "+/";

    public Random Random => random;

    public string Digits(int count) => string.Concat(Enumerable.Range(0, count).Select(_ => (char)('0' + random.Next(10))));

    public string Chars(string alphabet, int count) => string.Concat(Enumerable.Range(0, count).Select(_ => alphabet[random.Next(alphabet.Length)]));

    public T Pick<T>(params T[] items) => items[random.Next(items.Length)];

    public string Card(bool valid)
    {
        var (prefix, length) = Pick(("4", 16), ("4", 13), ("51", 16), ("55", 16), ("2221", 16), ("34", 15), ("37", 15), ("6011", 16), ("65", 16), ("3530", 16), ("36", 14));
        var body = prefix + Digits(length - prefix.Length - 1);
        var check = LuhnCheckDigit(body);
        return body + (valid ? check : (check + 1 + random.Next(9)) % 10);
    }

    public static int LuhnCheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var d = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0) { d *= 2; if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }

    public static string GroupCard(string digits, string sep) => digits.Length == 15
        ? $"{digits[..4]}{sep}{digits[4..10]}{sep}{digits[10..]}"
        : string.Join(sep, digits.Chunk(4).Select(c => new string(c)));

    public (int Area, int Group, int Serial) Ssn()
    {
        int area;
        do
        {
            area = random.Next(1, 900);
        }
        while (area == 666);
        return (area, random.Next(1, 100), random.Next(1, 10000));
    }

    public (int Area, int Group, int Serial) Itin() =>
        (random.Next(900, 1000), Pick(random.Next(50, 66), random.Next(70, 89), random.Next(90, 93), random.Next(94, 100)), random.Next(1, 10000));

    public static string Nine((int Area, int Group, int Serial) id, string sep) => $"{id.Area:000}{sep}{id.Group:00}{sep}{id.Serial:0000}";

    public string Ein() => $"{Pick(1, 2, 10, 12, 20, 27, 33, 45, 52, 61, 74, 83, 91, 95, 98):00}-{Digits(7)}";

    public string Aba(bool valid)
    {
        var d = Digits(8).Select(c => c - '0').ToArray();
        var partial = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + d[2] + d[5];
        var check = (10 - partial % 10) % 10;
        return string.Concat(d) + (valid ? check : (check + 1 + random.Next(9)) % 10);
    }

    public string Iban(bool valid)
    {
        var (country, length) = Pick(("DE", 22), ("GB", 22), ("FR", 27), ("NL", 18), ("ES", 24), ("IT", 27), ("CH", 21), ("BE", 16), ("PL", 28), ("IE", 22));
        var bban = country is "GB" or "NL" or "IE" ? Chars(Upper, 4) + Digits(length - 8) : Digits(length - 4);
        var check = 98 - Mod97(bban + country + "00");
        if (!valid)
        {
            check = (check + 1 + random.Next(50)) % 97 + 2;
        }

        return $"{country}{check:00}{bban}";
    }

    private static int Mod97(string s)
    {
        var r = 0;
        foreach (var c in s)
        {
            r = char.IsDigit(c) ? (r * 10 + (c - '0')) % 97 : (r * 100 + (c - 'A' + 10)) % 97;
        }

        return r;
    }

    public static string GroupIban(string iban) => string.Join(' ', iban.Chunk(4).Select(c => new string(c)));

    public string Email() =>
        $"{Pick("jane", "john", "m.garcia", "li.wei", "a_smith", "ops+alerts")}{random.Next(1, 999)}@{Pick("example.com", "bank.example", "mail.co.uk", "corp.example.org")}";

    public string Phone()
    {
        var n = $"{random.Next(2, 10)}{Digits(2)}";
        var e = $"{random.Next(2, 10)}{Digits(2)}";
        var s = Digits(4);
        if (n[1] == '1' && n[2] == '1')
        {
            n = n[..2] + "5";
        }

        return Pick($"({n}) {e}-{s}", $"{n}-{e}-{s}", $"{n}.{e}.{s}", $"+1 {n} {e} {s}", $"1-{n}-{e}-{s}");
    }

    public string Ipv4() => $"{random.Next(1, 224)}.{random.Next(0, 256)}.{random.Next(0, 256)}.{random.Next(1, 255)}";

    public string Ipv6() => Pick(
        $"2001:db8::{random.Next(1, 0xffff):x}:{random.Next(1, 0xffff):x}",
        $"fe80::{random.Next(1, 0xffff):x}:{random.Next(1, 0xffff):x}:{random.Next(1, 0xffff):x}",
        string.Join(':', Enumerable.Range(0, 8).Select(_ => random.Next(0, 0xffff).ToString("x"))));

    public string Date(bool iso)
    {
        var (y, m, d) = (random.Next(1930, 2006), random.Next(1, 13), random.Next(1, 29));
        return iso ? $"{y:0000}-{m:00}-{d:00}" : $"{m:00}/{d:00}/{y:0000}";
    }

    public string AwsKeyId() => Pick("AKIA", "ASIA") + Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16);

    public string AwsSecret() => Chars(Base64, 40);

    public string Jwt() => Credentials.Jwt(
        $"{{\"alg\":\"{Pick("HS256", "RS256", "ES256")}\",\"typ\":\"JWT\"}}",
        $"{{\"sub\":\"{Digits(8)}\",\"iat\":{1700000000 + random.Next(1000000)}}}",
        Chars(Alnum + "-_", 43));

    public string Pem() => Credentials.Pem(Pick("", "RSA ", "EC ", "OPENSSH "),
        string.Join('\n', Enumerable.Range(0, random.Next(2, 6)).Select(_ => Chars(Base64, 64))));

    public string GitHubToken() => Pick("ghp_", "gho_", "ghu_", "ghs_", "ghr_") is var prefix && random.Next(6) == 0
        ? "github_pat_" + Chars(Alnum, 22) + "_" + Chars(Alnum, 59)
        : Credentials.GitHubToken(prefix, Chars(Alnum, 30));

    public string SlackToken() => $"xox{Pick('b', 'p', 'a', 'o')}-{Digits(11)}-{Digits(12)}-{Chars(Alnum, 24)}";

    public string Bearer() => Chars(Alnum, 16) + Digits(4) + Chars(Alnum, random.Next(8, 24));

    public string Basic() => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Pick("svc", "admin", "etl")}:{Chars(Alnum, 12)}"));

    public string Uuid() => new Guid(Enumerable.Range(0, 16).Select(_ => (byte)random.Next(256)).ToArray()).ToString();

    public string Hex(int count) => Chars("0123456789abcdef", count);
}
