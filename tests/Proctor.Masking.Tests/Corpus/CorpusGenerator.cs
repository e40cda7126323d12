using System.Text.Json;
using Proctor.Masking.Detection;

namespace Proctor.Masking.Tests.Corpus;

/// <summary>
/// The labeled corpus, generated from a fixed seed so every run measures the same samples. Each
/// generator yields a value and how it is shown: in a sentence (with the context words a person would
/// write, when the entity needs them) and as a field of an MCP-style JSON result.
/// </summary>
internal static class CorpusGenerator
{
    public const int Seed = 20261124;
    private const int PerPositiveGenerator = 150;
    private const int PerNegativeGenerator = 100;

    private delegate (string Value, string Sentence, string Field) Make(Values v);

    private static readonly (string Entity, string Kind, Make Make)[] Positives =
    [
        (EntityTypes.Card, "card/grouped", v => v.Card(true) is var c && Values.GroupCard(c, v.Pick(" ", "-")) is var g
            ? (g, $"Customer paid with {g} yesterday.", "card_number") : default),
        (EntityTypes.Card, "card/plain", v => v.Card(true) is var c ? (c, $"PAN {c} was declined", "pan") : default),
        (EntityTypes.Ssn, "ssn/dashed", v => Values.Nine(v.Ssn(), "-") is var s ? (s, $"Her SSN is {s}, verified.", "taxId") : default),
        (EntityTypes.Ssn, "ssn/spaced-or-dotted", v => Values.Nine(v.Ssn(), v.Pick(" ", ".")) is var s ? (s, $"social security number {s}", "ssn") : default),
        (EntityTypes.Ssn, "ssn/bare-with-context", v => Values.Nine(v.Ssn(), "") is var s ? (s, $"SSN: {s}", "customer_ssn") : default),
        (EntityTypes.Itin, "itin", v => Values.Nine(v.Itin(), v.Pick("-", "")) is var s ? (s, $"ITIN {s} on the W-7 form", "itin") : default),
        (EntityTypes.Ein, "ein", v => v.Ein() is var s ? (s, $"Employer EIN {s} (LLC).", "employerEin") : default),
        (EntityTypes.AbaRouting, "aba/with-context", v => v.Aba(true) is var s
            ? (s, $"{v.Pick("Routing number", "ABA", "RTN", "routing #")} {s} for wires", v.Pick("routing_number", "routingNumber", "aba", "rtn")) : default),
        (EntityTypes.BankAccount, "account/with-context", v => v.Digits(v.Random.Next(8, 18)) is var s
            ? (s, $"{v.Pick("Account number", "acct", "Checking account no.")} {s} is overdrawn", v.Pick("account_number", "accountNumber", "acct_no")) : default),
        (EntityTypes.Iban, "iban", v => v.Iban(true) is var s && (v.Random.Next(2) == 0 ? s : Values.GroupIban(s)) is var shown
            ? (shown, $"Send EUR to {shown} by Friday", "iban") : default),
        (EntityTypes.Email, "email", v => v.Email() is var s ? (s, $"Contact {s} for details", "contact") : default),
        (EntityTypes.Phone, "phone", v => v.Phone() is var s ? (s, $"Call the customer at {s} after 5pm", "phone") : default),
        (EntityTypes.IpAddress, "ip", v => (v.Random.Next(2) == 0 ? v.Ipv4() : v.Ipv6()) is var s ? (s, $"Login from {s} was blocked", "client_ip") : default),
        (EntityTypes.DateOfBirth, "dob", v => v.Date(v.Random.Next(2) == 0) is var s ? (s, $"Date of birth: {s}", "dob") : default),
        (EntityTypes.AwsAccessKey, "aws-key-id", v => v.AwsKeyId() is var s ? (s, $"aws_access_key_id={s}", "accessKeyId") : default),
        (EntityTypes.AwsSecretKey, "aws-secret", v => v.AwsSecret() is var s ? (s, $"aws_secret_access_key = {s}", "secretAccessKey") : default),
        (EntityTypes.Jwt, "jwt", v => v.Jwt() is var s ? (s, $"session token {s} expired", "id_token") : default),
        (EntityTypes.PrivateKey, "pem", v => v.Pem() is var s ? (s, $"config:\n{s}\nend", "key") : default),
        (EntityTypes.GitHubToken, "github", v => v.GitHubToken() is var s ? (s, $"GITHUB_TOKEN={s}", "token") : default),
        (EntityTypes.SlackToken, "slack", v => v.SlackToken() is var s ? (s, $"slack bot uses {s}", "slack") : default),
        (EntityTypes.AuthHeader, "auth", v => (v.Random.Next(2) == 0 ? ("Bearer ", v.Bearer()) : ("Basic ", v.Basic())) is var (scheme, s)
            ? (s, $"Authorization: {scheme}{s}", "authorization") : default),
        (EntityTypes.AuthHeader, "auth/header-value", v => v.Bearer() is var s ? (s, $"curl -H 'Authorization: Bearer {s}'", "headers") : default),
    ];

    private delegate (string Sentence, string Field, string Value) MakeNegative(Values v);

    private static readonly (string Kind, MakeNegative Make)[] Negatives =
    [
        ("card-luhn-invalid", v => v.Card(false) is var c ? ($"Card {Values.GroupCard(c, " ")} was rejected", "card_number", c) : default),
        ("order-id", v => $"ORD-{v.Random.Next(2019, 2027)}-{v.Digits(6)}" is var s ? ($"Order {s} shipped", "order_id", s) : default),
        ("order-number", v => v.Digits(v.Random.Next(8, 13)) is var s ? ($"Order number {s} shipped", "orderNumber", s) : default),
        ("iso-timestamp", v => $"{v.Date(true)}T{v.Random.Next(24):00}:{v.Random.Next(60):00}:{v.Random.Next(60):00}Z" is var s ? ($"Created at {s}", "created_at", s) : default),
        ("spaced-timestamp", v => $"{v.Date(true)} {v.Random.Next(24):00}:{v.Random.Next(60):00}:{v.Random.Next(60):00}" is var s ? ($"Updated {s} UTC", "updated", s) : default),
        ("epoch", v => (1600000000L + v.Random.Next(200000000)).ToString() is var s && (v.Random.Next(2) == 0 ? s : s + v.Digits(3)) is var t ? ($"ts={t}", "timestamp", t) : default),
        ("invoice-date", v => v.Date(v.Random.Next(2) == 0) is var s ? ($"Invoice date {s}, due in 30 days", "invoice_date", s) : default),
        ("phone-like", v => v.Pick($"555-{v.Digits(4)}", $"1{v.Digits(2)}-{v.Digits(3)}-{v.Digits(4)}", $"{v.Digits(3)}-{v.Random.Next(0, 2)}{v.Digits(2)}-{v.Digits(4)}") is var s
            ? ($"Ext {s} is the branch line", "extension", s) : default),
        ("zip", v => v.Pick(v.Digits(5), $"{v.Digits(5)}-{v.Digits(4)}") is var s ? ($"Mail to Springfield, IL {s}", "zip", s) : default),
        ("uuid", v => v.Uuid() is var s ? ($"request {s} failed", "request_id", s) : default),
        ("sha256", v => v.Hex(64) is var s ? ($"sha256 {s}", "hash", s) : default),
        ("git-sha", v => v.Hex(40) is var s ? ($"commit {s}", "commit", s) : default),
        ("semver", v => $"{v.Random.Next(0, 20)}.{v.Random.Next(0, 30)}.{v.Random.Next(0, 100)}" is var s ? ($"upgraded to {s}", "version", s) : default),
        ("four-part-version", v => $"{v.Random.Next(1, 12)}.{v.Random.Next(0, 10)}.{v.Random.Next(0, 10)}.{v.Random.Next(0, 300)}" is var s ? ($"version {s} released", "version", s) : default),
        ("v-version", v => $"v{v.Random.Next(1, 5)}.{v.Random.Next(10)}.{v.Random.Next(10)}.{v.Random.Next(10)}" is var s ? ($"tag {s}", "tag", s) : default),
        ("amount", v => $"{v.Random.Next(1, 999)},{v.Digits(3)},{v.Digits(3)}.{v.Digits(2)}" is var s ? ($"Balance ${s}", "balance", s) : default),
        ("ssn-invalid", v => v.Pick($"000-{v.Digits(2)}-{v.Digits(4)}", $"666-{v.Random.Next(10, 99)}-{v.Digits(4)}", $"9{v.Digits(2)}-{v.Random.Next(10, 50)}-{v.Random.Next(1000, 9999)}",
            $"{v.Random.Next(100, 600)}-00-{v.Random.Next(1000, 9999)}", $"{v.Random.Next(100, 600)}-{v.Random.Next(10, 99)}-0000", $"{v.Random.Next(100, 600)}-{v.Random.Next(10, 99)}.{v.Random.Next(1000, 9999)}") is var s
            ? ($"Reference {s} on file", "reference", s) : default),
        ("nine-digits-no-context", v => v.Aba(true) is var s ? ($"Ticket {s} closed", "ticket", s) : default),
        ("aba-bad-checksum", v => v.Aba(false) is var s ? ($"Routing number {s} rejected", "routing_number", s) : default),
        ("iban-bad-check", v => v.Iban(false) is var s ? ($"IBAN {s} is invalid", "iban", s) : default),
        ("ip-invalid", v => v.Pick($"{v.Random.Next(256, 999)}.{v.Random.Next(256)}.{v.Random.Next(256)}.{v.Random.Next(256)}", $"{v.Random.Next(256)}.{v.Random.Next(256)}.{v.Random.Next(256)}") is var s
            ? ($"value {s} out of range", "value", s) : default),
        ("aws-like", v => ("AKIA" + v.Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ", v.Random.Next(4, 12))) is var s ? ($"label {s}", "label", s) : default),
        ("jwt-like", v => ("eyJ" + v.Chars("abcdefghijklmnop", 12) + "." + v.Chars("abcdefghij", 10) + ".x") is var s ? ($"blob {s}", "blob", s) : default),
        ("github-bad-checksum", v => ("ghp_" + v.Chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 36)) is var s ? ($"example {s}", "example", s) : default),
        ("words", v => v.Pick("The recipient signed the receipt", "Basic plan, no bearer bonds", "Transit in progress", "Accountability matters",
            "Secret Santa on Friday", "Call me maybe", "Asia/Tokyo offices", "Born in the USA tour", "social event") is var s ? (s, "note", s) : default),
        ("short-account", v => v.Digits(v.Random.Next(4, 8)) is var s ? ($"account {s}", "account_type", s) : default),
        ("base64-blob", v => v.Chars("abcdefghijklmnopqrstuvwxyz", 40) is var s ? ($"secret {s}", "secret_name", s) : default),
        ("mac-address", v => string.Join(':', Enumerable.Range(0, 6).Select(_ => v.Hex(2))) is var s ? ($"mac {s}", "mac", s) : default),
        ("clock-time", v => $"{v.Random.Next(24):00}:{v.Random.Next(60):00}:{v.Random.Next(60):00}" is var s ? ($"at {s}", "time", s) : default),
        ("sku", v => $"SKU-{v.Digits(4)}-{v.Chars("ABCDEFGH", 2)}{v.Digits(3)}" is var s ? ($"Item {s} in stock", "sku", s) : default),
        ("percent", v => $"{v.Random.Next(100)}.{v.Digits(4)}%" is var s ? ($"APR {s}", "apr", s) : default),
    ];

    public static IReadOnlyList<LabeledSample> Generate()
    {
        var v = new Values(new Random(Seed));
        var samples = new List<LabeledSample>();
        foreach (var (entity, kind, make) in Positives)
        {
            for (var i = 0; i < PerPositiveGenerator; i++)
            {
                var (value, sentence, field) = make(v);
                samples.Add(new LabeledSample(sentence, false, entity, value, kind));
                (value, sentence, field) = make(v);
                var shown = entity == EntityTypes.AuthHeader ? WithScheme(sentence, value) : value;
                samples.Add(new LabeledSample(Document(field, shown, v), true, entity, value, kind, "json/field-value"));
            }
        }

        foreach (var (kind, make) in Negatives)
        {
            for (var i = 0; i < PerNegativeGenerator; i++)
            {
                var (sentence, _, _) = make(v);
                samples.Add(new LabeledSample(sentence, false, null, "", kind));
                var (_, field, value) = make(v);
                samples.Add(new LabeledSample(Document(field, value, v), true, null, value, kind, "json/field-value"));
            }
        }

        return samples;
    }

    /// <summary>An Authorization header value as the sentence shows it: the scheme word, then the credential.</summary>
    private static string WithScheme(string sentence, string credential)
    {
        var at = sentence.IndexOf(credential, StringComparison.Ordinal);
        return sentence[(sentence.LastIndexOf(' ', at - 2) + 1)..(at + credential.Length)];
    }

    /// <summary>An MCP tool result whose structured content holds the value under <paramref name="field"/>.</summary>
    private static string Document(string field, string value, Values v)
    {
        var result = new Dictionary<string, object>
        {
            ["jsonrpc"] = "2.0",
            ["id"] = v.Random.Next(1, 1000),
            ["result"] = new Dictionary<string, object>
            {
                ["structuredContent"] = new Dictionary<string, object>
                {
                    ["status"] = v.Pick("active", "pending", "closed"),
                    ["record"] = new Dictionary<string, object> { [field] = value, ["branch"] = v.Pick("Main St", "Downtown", "Airport") },
                },
                ["isError"] = false,
            },
        };
        return JsonSerializer.Serialize(result);
    }
}
