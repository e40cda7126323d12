using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol.Client;
using Proctor.Cli;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// The <c>masking:</c> section of the YAML reaches the real gateway: a custom pattern and a deny-list
/// term are masked in the caller's response and in every stored byte, and a <c>revealTo</c> group
/// sees the SSN in its own response while the ledger keeps it masked. Callers carry real signed
/// tokens from an issuer whose keys the configuration pins.
/// </summary>
public sealed partial class ConfiguredMaskingTests
{
    private const string CaseReference = "REF-20240017";
    private const string Codename = "Nightjar";

    [Fact]
    public async Task CustomPatternAndDenyListTerm_MaskedInTheResponseAndTheLedger()
    {
        await using var gateway = await GatewayUnderTest.StartAsync(BankEvidence.BankUpstream, """
            masking:
              customPatterns: [{ name: case_ref, pattern: "REF-[0-9]{8}" }]
              denyLists: [{ name: project, terms: ["Nightjar"] }]
            """);
        await using var client = await Clients.ConnectAsync(gateway.Mcp("bank"), "2025-11-25");

        var result = Clients.Json(await client.CallToolAsync("run_sql", new Dictionary<string, object?>
        {
            ["query"] = $"SELECT 'Operation {Codename}' AS codename, 'case {CaseReference}' AS reference",
        }));

        Assert.Contains("Operation [PROJECT]", result, StringComparison.Ordinal);
        Assert.Contains("case [CASE_REF]", result, StringComparison.Ordinal);
        Assert.DoesNotContain(Codename, result, StringComparison.Ordinal);
        Assert.DoesNotContain(CaseReference, result, StringComparison.Ordinal);
        var stored = await BankEvidence.StoredBytesAsync(gateway.DataFolder);
        Assert.Contains("run_sql", stored, StringComparison.Ordinal); // recorded, request and response
        Assert.DoesNotContain(Codename, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(CaseReference, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevealToGroup_SeesTheSsnInItsOwnResponse_TheLedgerKeepsItMasked()
    {
        var issuer = Directory.CreateTempSubdirectory("proctor-issuer-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(issuer, "demo-issuer"));
            var port = Ports.Free();
            var resource = new Uri($"http://127.0.0.1:{port}/mcp");
            var tokens = (await DemoIdentities.IssueAsync(issuer, resource, Path.Combine(issuer, "keys.db"), CancellationToken.None)).ToDictionary(t => t.Name, t => t.Credential);
            await using var gateway = await GatewayUnderTest.StartAsync(BankEvidence.BankUpstream, $$"""
                identity:
                  resource: "{{resource}}"
                  issuers: ["{{DemoIdentities.Issuer}}"]
                  issuerKeys: { "{{DemoIdentities.Issuer}}": "{{Path.Combine(issuer, DemoIdentities.JwksFile)}}" }
                masking:
                  rules:
                    - { entity: ssn, strategy: redact, revealTo: [auditors] }
                """, port: port);

            var auditorSees = await CustomerAsync(gateway, tokens["auditor"]);
            var analystSees = await CustomerAsync(gateway, tokens["analyst"]);

            var ssn = SsnField().Match(auditorSees);
            Assert.True(ssn.Success, "the auditor's response should hold the SSN unmasked: " + auditorSees);
            Assert.Contains("\"ssn\":\"[SSN]\"", analystSees, StringComparison.Ordinal);
            Assert.DoesNotContain(ssn.Groups[1].Value, analystSees, StringComparison.Ordinal);
            var stored = await BankEvidence.StoredBytesAsync(gateway.DataFolder);
            Assert.Contains("get_customer", stored, StringComparison.Ordinal);
            Assert.Contains("[SSN]", stored, StringComparison.Ordinal);
            Assert.DoesNotContain(ssn.Groups[1].Value, stored, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(issuer, recursive: true);
        }
    }

    private static async Task<string> CustomerAsync(GatewayUnderTest gateway, string token)
    {
        await using var client = await Clients.ConnectAsync(gateway.Mcp("bank"), "2025-11-25", bearer: token);
        var result = await client.CallToolAsync("get_customer", new Dictionary<string, object?> { ["customer_id"] = "C00001" });
        Assert.NotEqual(true, result.IsError);
        return JsonSerializer.Serialize(result.StructuredContent);
    }

    [GeneratedRegex("\"ssn\":\"([0-9]{3}-[0-9]{2}-[0-9]{4})\"")]
    private static partial Regex SsnField();
}
