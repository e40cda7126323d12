using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.Configuration.Secrets;
using Proctor.Configuration.Secrets.Aws;

namespace Proctor.Configuration.Tests.Secrets;

/// <summary>
/// <c>${aws-ssm:…}</c> and <c>${aws-sm:…}</c> against a fake AWS endpoint on 127.0.0.1 that checks what real
/// AWS checks: the SigV4 signature (recomputed here from the specification, independently of the SDK's
/// signer), the target, the content type and the JSON body. A wrong signature or request fails the test.
/// </summary>
public sealed class AwsSecretResolverTests : IAsyncDisposable
{
    private const string KeyId = "AKIDPROCTORTEST";
    private const string SecretKey = "proctor-test-secret-access-key";
    private const string Region = "us-east-1";

    private readonly FakeAws _aws = new();

    private Dictionary<string, string> Environment(bool credentials = true)
    {
        var environment = new Dictionary<string, string>
        {
            ["AWS_REGION"] = Region,
            ["AWS_ENDPOINT_URL_SSM"] = _aws.Url,
            ["AWS_ENDPOINT_URL_SECRETS_MANAGER"] = _aws.Url,
        };
        if (credentials)
        {
            environment["AWS_ACCESS_KEY_ID"] = KeyId;
            environment["AWS_SECRET_ACCESS_KEY"] = SecretKey;
            environment["AWS_SESSION_TOKEN"] = "session-token-1";
        }

        return environment;
    }

    [Fact]
    public void ParameterStore_SecureString_ResolvedWithASignedGetParameter()
    {
        _aws.Parameters["/proctor/crm/token"] = "crm-token-from-ssm";

        var resolution = new AwsSecretResolver(Environment()).Resolve(new SecretReference("aws-ssm", "/proctor/crm/token"));

        Assert.True(resolution.Succeeded, resolution.FailureReason);
        Assert.Equal("crm-token-from-ssm", resolution.Reveal());
        var request = Assert.Single(_aws.Requests);
        Assert.Equal("AmazonSSM.GetParameter", request.Target);
        Assert.Equal("ssm", request.Service);
        Assert.Equal("""{"Name":"/proctor/crm/token","WithDecryption":true}""", request.Body);
    }

    [Fact]
    public void SecretsManager_WithJsonKey_PicksTheField()
    {
        _aws.Secrets["prod/crm"] = """{"username":"svc","password":"pw-from-sm"}""";

        var whole = new AwsSecretResolver(Environment()).Resolve(new SecretReference("aws-sm", "prod/crm"));
        var field = new AwsSecretResolver(Environment()).Resolve(new SecretReference("aws-sm", "prod/crm#password"));

        Assert.Equal("""{"username":"svc","password":"pw-from-sm"}""", whole.Reveal());
        Assert.Equal("pw-from-sm", field.Reveal());
        Assert.All(_aws.Requests, r => Assert.Equal(("secretsmanager.GetSecretValue", "secretsmanager", """{"SecretId":"prod/crm"}"""), (r.Target, r.Service, r.Body)));
    }

    [Theory]
    [InlineData("aws-ssm", "/missing", "${aws-ssm:/missing}: no parameter named /missing in this account and region; check the name (it starts with /) and AWS_REGION")]
    [InlineData("aws-ssm", "/denied", "${aws-ssm:/denied}: AWS refused access (AccessDenied); grant the gateway's role ssm:GetParameter on the parameter (and kms:Decrypt on its key)")]
    [InlineData("aws-sm", "missing", "${aws-sm:missing}: no secret missing in this account and region; check the id and AWS_REGION")]
    [InlineData("aws-sm", "plain#field", "${aws-sm:plain#field}: the secret is not JSON, so #field cannot pick a field; drop #field to use the whole value")]
    public void Failures_NameTheReferenceAndTheFix(string scheme, string name, string expected)
    {
        _aws.Secrets["plain"] = "not json";

        var resolution = new AwsSecretResolver(Environment()).Resolve(new SecretReference(scheme, name));

        Assert.Equal(expected, resolution.FailureReason);
    }

    [Fact]
    public void WrongSecretKey_SignatureRefusedByTheFakeAsByAws()
    {
        var environment = Environment();
        environment["AWS_SECRET_ACCESS_KEY"] = "not-the-key";
        _aws.Parameters["/p"] = "v";

        var resolution = new AwsSecretResolver(environment).Resolve(new SecretReference("aws-ssm", "/p"));

        Assert.StartsWith("${aws-ssm:/p}: AWS did not accept the gateway's credentials (InvalidSignatureException)", resolution.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Unreachable_SaysWhatToCheck()
    {
        var environment = Environment();
        environment["AWS_ENDPOINT_URL_SSM"] = $"http://127.0.0.1:{ClosedPort()}/";

        var resolution = new AwsSecretResolver(environment).Resolve(new SecretReference("aws-ssm", "/p"));

        Assert.Contains("cannot be reached (ConnectionError); check the network path to AWS (VPC endpoint, proxy) or AWS_ENDPOINT_URL_SSM", resolution.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HeaderFromParameterStore_ResolvedAsSecretValue_AndFailuresAreConfigurationErrors()
    {
        _aws.Parameters["/crm/token"] = "ssm-canary-71";
        var environment = Environment();

        var model = Loading.Model("upstreams: { crm: { url: \"https://crm.example.com/mcp\", headers: { Authorization: \"Bearer ${aws-ssm:/crm/token}\" } } }", environment);
        var errors = Loading.Errors("upstreams: { crm: { url: \"https://crm.example.com/mcp\", headers: { Authorization: \"Bearer ${aws-ssm:/missing}\" } } }", environment);

        var header = ((HttpUpstreamModel)model.Upstreams["crm"]).Headers["Authorization"];
        Assert.Equal("Bearer ssm-canary-71", header.Reveal());
        Assert.Equal("***", header.ToString());
        Assert.DoesNotContain("ssm-canary-71", model.ToString(), StringComparison.Ordinal);
        Assert.Equal(["upstreams.crm.headers.Authorization: ${aws-ssm:/missing}: no parameter named /missing in this account and region; check the name (it starts with /) and AWS_REGION"], errors);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync() => await _aws.DisposeAsync();

    /// <summary>Parameter Store and Secrets Manager as far as GetParameter and GetSecretValue go, with SigV4 checked.</summary>
    private sealed class FakeAws : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public FakeAws()
        {
            var port = ClosedPort();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public Dictionary<string, string> Parameters { get; } = [];

        public Dictionary<string, string> Secrets { get; } = [];

        public List<(string Target, string Service, string Body)> Requests { get; } = [];

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var (status, body) = Answer(context.Request);
                var bytes = Encoding.UTF8.GetBytes(body);
                context.Response.StatusCode = (int)status;
                context.Response.ContentType = "application/x-amz-json-1.1";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        private (HttpStatusCode, string) Answer(HttpListenerRequest request)
        {
            using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
            var body = reader.ReadToEnd();
            var target = request.Headers["X-Amz-Target"] ?? "";
            if (request.HttpMethod != "POST" || request.Url!.AbsolutePath != "/" || request.ContentType != "application/x-amz-json-1.1")
            {
                return Error("SerializationException");
            }

            if (Verify(request, body) is { } signatureProblem)
            {
                return (HttpStatusCode.Forbidden, new JsonObject { ["__type"] = "InvalidSignatureException", ["message"] = signatureProblem }.ToJsonString());
            }

            var service = ScopeOf(request.Headers["Authorization"]!)[3];
            Requests.Add((target, service, body));
            var json = JsonNode.Parse(body)!;
            switch (target)
            {
                case "AmazonSSM.GetParameter" when service == "ssm":
                    var name = (string)json["Name"]!;
                    if (name == "/denied")
                    {
                        return Error("AccessDeniedException");
                    }

                    return Parameters.TryGetValue(name, out var value) && (bool?)json["WithDecryption"] == true
                        ? (HttpStatusCode.OK, new JsonObject { ["Parameter"] = new JsonObject { ["Name"] = name, ["Type"] = "SecureString", ["Value"] = value } }.ToJsonString())
                        : Error("ParameterNotFound");
                case "secretsmanager.GetSecretValue" when service == "secretsmanager":
                    return Secrets.TryGetValue((string)json["SecretId"]!, out var secret)
                        ? (HttpStatusCode.OK, new JsonObject { ["Name"] = (string)json["SecretId"]!, ["SecretString"] = secret }.ToJsonString())
                        : Error("ResourceNotFoundException");
                default:
                    return Error("UnknownOperationException");
            }
        }

        private static (HttpStatusCode, string) Error(string type) =>
            (HttpStatusCode.BadRequest, new JsonObject { ["__type"] = "com.amazonaws.test#" + type, ["message"] = "fake" }.ToJsonString());

        private static string[] ScopeOf(string authorization)
        {
            var credential = authorization.Split(' ', 2)[1].Split(", ")[0]["Credential=".Length..];
            return credential.Split('/'); // key id, date, region, service, aws4_request
        }

        /// <summary>SigV4 recomputed from the specification; null when the request's signature matches.</summary>
        private static string? Verify(HttpListenerRequest request, string body)
        {
            var authorization = request.Headers["Authorization"];
            if (authorization is null || !authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
            {
                return "missing SigV4 Authorization";
            }

            var parts = authorization["AWS4-HMAC-SHA256 ".Length..].Split(", ").Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            var scope = parts["Credential"].Split('/');
            if (scope[0] != KeyId || scope[2] != Region || scope[4] != "aws4_request")
            {
                return "wrong credential scope";
            }

            var amzDate = request.Headers["X-Amz-Date"]!;
            if (!amzDate.StartsWith(scope[1], StringComparison.Ordinal)
                || Math.Abs((DateTime.UtcNow - DateTime.ParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)).TotalMinutes) > 5)
            {
                return "X-Amz-Date missing, inconsistent or skewed";
            }

            var signed = parts["SignedHeaders"].Split(';');
            foreach (var required in new[] { "host", "x-amz-date", "x-amz-target", "content-type", "x-amz-security-token" })
            {
                if (!signed.Contains(required))
                {
                    return $"{required} is not signed";
                }
            }

            var canonicalHeaders = string.Concat(signed.Select(h => $"{h}:{(h == "host" ? request.UserHostName : request.Headers[h])!.Trim()}\n"));
            var canonical = $"POST\n/\n\n{canonicalHeaders}\n{parts["SignedHeaders"]}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(body)))}";
            var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{string.Join('/', scope[1..])}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
            var key = Encoding.UTF8.GetBytes("AWS4" + SecretKey);
            foreach (var part in new[] { scope[1], scope[2], scope[3], "aws4_request" })
            {
                key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
            }

            var expected = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
            return expected == parts["Signature"] ? null : "signature mismatch";
        }

        private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _serving;
        }
    }
}
