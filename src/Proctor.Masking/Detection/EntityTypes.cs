using System.Collections.Frozen;

namespace Proctor.Masking.Detection;

/// <summary>The built-in entity type ids. Rules, reports and redaction labels use these names.</summary>
public static class EntityTypes
{
    public const string Card = "card";
    public const string Ssn = "ssn";
    public const string Itin = "itin";
    public const string Ein = "ein";
    public const string AbaRouting = "aba_routing";
    public const string BankAccount = "bank_account";
    public const string Iban = "iban";
    public const string Email = "email";
    public const string Phone = "phone";
    public const string IpAddress = "ip_address";
    public const string DateOfBirth = "date_of_birth";
    public const string AwsAccessKey = "aws_access_key";
    public const string AwsSecretKey = "aws_secret_key";
    public const string Jwt = "jwt";
    public const string PrivateKey = "private_key";
    public const string GitHubToken = "github_token";
    public const string SlackToken = "slack_token";
    public const string AuthHeader = "auth_header";

    /// <summary>Reported for a value masked whole because a field or path rule named it.</summary>
    public const string Field = "field";

    /// <summary>Reported for one of the gateway's own credentials (<see cref="Policy.MaskingPolicy.GatewaySecrets"/>); always redacted.</summary>
    public const string GatewaySecret = "gateway_secret";

    public static readonly FrozenSet<string> BuiltIn = new[]
    {
        Card, Ssn, Itin, Ein, AbaRouting, BankAccount, Iban, Email, Phone, IpAddress, DateOfBirth,
        AwsAccessKey, AwsSecretKey, Jwt, PrivateKey, GitHubToken, SlackToken, AuthHeader,
    }.ToFrozenSet(StringComparer.Ordinal);
}
