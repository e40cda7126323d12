using System.Net;
using System.Security.Cryptography;
using Proctor.Evidence.Verification;
using Proctor.FunctionalTests.Evidence;
using Proctor.Ledger.Checkpoints;

namespace Proctor.FunctionalTests.Api;

/// <summary><c>GET /api/evidence/export</c>: the package streamed as a download to an auditor, verified offline, and recorded.</summary>
public sealed class EvidenceExportApiTests(ExaminerApiGateway fixture) : IClassFixture<ExaminerApiGateway>
{
    [Fact]
    public async Task Export_AsAuditor_StreamsAPackageThatVerifies_AndRecordsItsSha256()
    {
        using var response = await fixture.GetAsync("/api/evidence/export?from=2020-01-01&to=2999-01-01&identity=alice", await fixture.TokenAsync("auditor"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("proctor-evidence-20200101T0000-29990101T0000", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var zip = await response.Content.ReadAsByteArrayAsync();
        var key = NoteVerifierKey.Parse(await File.ReadAllTextAsync(Path.Combine(fixture.Gateway.DataFolder, "ledger-public.key")));
        var verdict = PackageVerifier.Verify(new MemoryStream(zip), key, null);
        Assert.True(verdict.Verified, string.Join("\n", verdict.Problems));
        Assert.True(verdict.EventsIncluded >= 6, $"{verdict.EventsIncluded} events of alice's session");
        Assert.True(verdict.EventsWithheld > 0, "the gateway's own events are not alice's");

        // Recorded once the last byte is written, which the client may see a moment before.
        System.Text.Json.Nodes.JsonNode? recorded = null;
        for (var i = 0; i < 100 && recorded is null; i++, await Task.Delay(50))
        {
            recorded = (await StoredEvents.OfKindAsync(fixture.Gateway.DatabasePath, "evidence.export")).Select(e => e["details"]!).SingleOrDefault(d => (string?)d["identity"] == "alice");
        }
        Assert.NotNull(recorded);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zip)), (string)recorded["package_sha256"]!);
    }

    [Fact]
    public async Task Export_AsAnalyst_IsForbidden()
    {
        using var response = await fixture.GetAsync("/api/evidence/export?from=2020-01-01&to=2999-01-01", await fixture.TokenAsync("analyst"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Export_WithoutAPeriod_IsABadRequest_NamingTheParameters()
    {
        using var response = await fixture.GetAsync("/api/evidence/export?from=yesterday", await fixture.TokenAsync("auditor"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("from and to are required times", await response.Content.ReadAsStringAsync());
    }
}
