using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Internal.Auth;

namespace Proctor.Configuration.Secrets.Aws;

/// <summary>
/// Resolves <c>${aws-ssm:/path/name}</c> (Systems Manager Parameter Store, <c>GetParameter</c> with
/// decryption, so SecureString parameters work) and <c>${aws-sm:secret-id}</c> or
/// <c>${aws-sm:secret-id#jsonKey}</c> (Secrets Manager <c>GetSecretValue</c>; <c>#jsonKey</c> picks one
/// field of a JSON secret). Both are single JSON-1.1 POSTs signed with SigV4.
/// <para>
/// Credentials come from <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>/<c>AWS_SESSION_TOKEN</c>
/// in the environment given, else from AWSSDK.Core's default chain (profiles, SSO, web identity, ECS
/// and EC2 roles). Signing uses AWSSDK.Core's <see cref="AWS4Signer"/>; the request is built here because
/// the Secrets Manager client package is not available to this project and one request shape is all
/// either service needs. Region: <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>. Endpoints:
/// <c>AWS_ENDPOINT_URL_SSM</c>, <c>AWS_ENDPOINT_URL_SECRETS_MANAGER</c> or <c>AWS_ENDPOINT_URL</c>, as the
/// AWS SDKs honour them (VPC endpoints, tests).
/// </para>
/// </summary>
public sealed class AwsSecretResolver : ISecretResolver
{
    public const string ParameterStoreScheme = "aws-ssm";
    public const string SecretsManagerScheme = "aws-sm";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyDictionary<string, string> _environment;
    private HttpMessageInvoker? _http;
    private readonly Func<DateTime> _utcNow;
    private ImmutableCredentials? _credentials;

    public AwsSecretResolver(IReadOnlyDictionary<string, string> environment, HttpMessageInvoker? http = null, Func<DateTime>? utcNow = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
        _http = http; // created on first use: most configurations have no AWS reference
        _utcNow = utcNow ?? (() => DateTime.UtcNow);
    }

    public IReadOnlyCollection<string> Schemes { get; } = [ParameterStoreScheme, SecretsManagerScheme];

    public SecretResolution Resolve(SecretReference reference) =>
        // Configuration loads once, at start, off any synchronization context; ISecretResolver is synchronous.
        ResolveAsync(reference, CancellationToken.None).GetAwaiter().GetResult();

    public async Task<SecretResolution> ResolveAsync(SecretReference reference, CancellationToken cancellationToken)
    {
        var ssm = reference.Scheme == ParameterStoreScheme;
        var (name, jsonKey) = ssm ? (reference.Name, null) : Split(reference.Name);
        if ((Variable("AWS_REGION") ?? Variable("AWS_DEFAULT_REGION")) is not { } region)
        {
            return SecretResolution.Failed($"{reference} needs an AWS region; set AWS_REGION (e.g. us-east-1)");
        }

        ImmutableCredentials credentials;
        try
        {
            credentials = _credentials ??= await CredentialsAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonClientException or AmazonServiceException)
        {
            return SecretResolution.Failed($"{reference}: no AWS credentials were found ({e.GetType().Name}); give the gateway a role (ECS task role, EC2 instance profile) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
        }

        var service = ssm ? "ssm" : "secretsmanager";
        var endpoint = Endpoint(ssm, region);
        var body = ssm
            ? JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["Name"] = name, ["WithDecryption"] = true })
            : JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["SecretId"] = name });
        using var request = Sign(new Uri(endpoint), ssm ? "AmazonSSM.GetParameter" : "secretsmanager.GetSecretValue", body, credentials, region, service);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await (_http ??= new HttpClient()).SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return SecretResolution.Failed($"{reference}: {endpoint} cannot be reached ({e.HttpRequestError}); check the network path to AWS (VPC endpoint, proxy) or AWS_ENDPOINT_URL_{(ssm ? "SSM" : "SECRETS_MANAGER")}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return SecretResolution.Failed($"{reference}: {endpoint} did not answer within {RequestTimeout.TotalSeconds:0} s; check the network path to AWS");
        }

        using (response)
        {
            using var document = await Json(response, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return SecretResolution.Failed(Failure(reference, name, ssm, response.StatusCode, document));
            }

            var value = ssm
                ? document?.RootElement.TryGetProperty("Parameter", out var parameter) == true && parameter.TryGetProperty("Value", out var v) ? v.GetString() : null
                : document?.RootElement.TryGetProperty("SecretString", out var s) == true ? s.GetString() : null;
            if (value is null)
            {
                return SecretResolution.Failed(ssm
                    ? $"{reference}: the answer from {endpoint} holds no parameter value"
                    : $"{reference}: the secret has no SecretString (binary secrets are not supported); store it as text");
            }

            return jsonKey is null ? SecretResolution.Resolved(value) : Field(reference, value, jsonKey);
        }
    }

    private HttpRequestMessage Sign(Uri endpoint, string target, byte[] body, ImmutableCredentials credentials, string region, string service)
    {
        var now = _utcNow();
        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(body));
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = "application/x-amz-json-1.1",
            ["host"] = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}",
            ["x-amz-date"] = now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture),
            ["x-amz-target"] = target,
        };
        if (credentials.UseToken)
        {
            headers["x-amz-security-token"] = credentials.Token;
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalRequest = string.Join('\n',
            "POST",
            "/",
            "",
            string.Concat(headers.Select(h => $"{h.Key}:{h.Value.Trim()}\n")),
            signedHeaders,
            bodyHash);
        var signature = AWS4Signer.ComputeSignature(credentials, region, now, service, signedHeaders, canonicalRequest);

        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", headers["content-type"]);
        foreach (var (name, value) in headers)
        {
            if (name is not ("content-type" or "host"))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.ForAuthorizationHeader);
        return request;
    }

    private async Task<ImmutableCredentials> CredentialsAsync()
    {
        if (Variable("AWS_ACCESS_KEY_ID") is { } keyId && Variable("AWS_SECRET_ACCESS_KEY") is { } secret)
        {
            return new ImmutableCredentials(keyId, secret, Variable("AWS_SESSION_TOKEN") ?? "");
        }

        var chain = await DefaultAWSCredentialsIdentityResolver.GetCredentialsAsync().ConfigureAwait(false);
        return await chain.GetCredentialsAsync().ConfigureAwait(false);
    }

    private string Endpoint(bool ssm, string region) =>
        Variable(ssm ? "AWS_ENDPOINT_URL_SSM" : "AWS_ENDPOINT_URL_SECRETS_MANAGER")
        ?? Variable("AWS_ENDPOINT_URL")
        ?? $"https://{(ssm ? "ssm" : "secretsmanager")}.{region}.amazonaws.com/";

    /// <summary>AWS error codes become what to do next; AWS's own message is not repeated, only the code.</summary>
    private static string Failure(SecretReference reference, string name, bool ssm, HttpStatusCode status, JsonDocument? document)
    {
        var type = document?.RootElement.TryGetProperty("__type", out var t) == true ? t.GetString() ?? "" : "";
        var code = type[(type.LastIndexOf('#') + 1)..];
        var role = "grant the gateway's role " + (ssm ? $"ssm:GetParameter on the parameter (and kms:Decrypt on its key)" : "secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its key)");
        return code switch
        {
            "ParameterNotFound" => $"{reference}: no parameter named {name} in this account and region; check the name (it starts with /) and AWS_REGION",
            "ResourceNotFoundException" => $"{reference}: no secret {name} in this account and region; check the id and AWS_REGION",
            "AccessDeniedException" or "AccessDenied" => $"{reference}: AWS refused access (AccessDenied); {role}",
            "UnrecognizedClientException" or "InvalidSignatureException" or "ExpiredTokenException" or "IncompleteSignature" =>
                $"{reference}: AWS did not accept the gateway's credentials ({code}); check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the role, and the clock",
            "" => $"{reference}: AWS answered {(int)status}; check the endpoint and region",
            _ => $"{reference}: AWS answered {(int)status} {code}",
        };
    }

    private static SecretResolution Field(SecretReference reference, string value, string key)
    {
        try
        {
            using var json = JsonDocument.Parse(value);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(key, out var field))
            {
                return field.ValueKind == JsonValueKind.String
                    ? SecretResolution.Resolved(field.GetString()!)
                    : SecretResolution.Resolved(field.GetRawText());
            }

            return SecretResolution.Failed($"{reference}: the secret's JSON has no field \"{key}\"; check the name after #");
        }
        catch (JsonException)
        {
            return SecretResolution.Failed($"{reference}: the secret is not JSON, so #{key} cannot pick a field; drop #{key} to use the whole value");
        }
    }

    private static (string Name, string? JsonKey) Split(string name)
    {
        var hash = name.LastIndexOf('#');
        return hash > 0 && hash < name.Length - 1 ? (name[..hash], name[(hash + 1)..]) : (name, null);
    }

    private static async Task<JsonDocument?> Json(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private string? Variable(string name) => _environment.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}
