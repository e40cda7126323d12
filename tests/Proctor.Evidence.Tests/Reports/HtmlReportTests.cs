using System.Text.RegularExpressions;
using Proctor.Ledger.Events;

namespace Proctor.Evidence.Tests.Reports;

public sealed partial class HtmlReportTests
{
    public static TheoryData<string> HostileValues =>
    [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "' onmouseover='alert(1)",
        "</td></tr></table><iframe src=//evil.example>",
        "&lt;already-encoded&gt;",
        "ünïcødé‮evil‬ 名前 🙂",
        "<style>body{display:none}</style>",
    ];

    [Theory]
    [MemberData(nameof(HostileValues))]
    public async Task Render_HostileIdentityToolAndServer_AppearOnlyEncoded(string hostile)
    {
        var events = new GatewayEvents()
            .Call(hostile, hostile, hostile, hostile, amr: [hostile])
            .Refused(hostile, "crm", hostile, hostile, session: hostile)
            .Approval(EventKinds.ApprovalRequest, hostile, hostile, hostile, hostile, hostile, "pending", justification: hostile)
            .Approval(EventKinds.ApprovalApprove, hostile, hostile, hostile, hostile, hostile, "approved");

        var files = await ReportHarness.RunAsync(events.Events, request: new ExportRequest(ReportHarness.From, ReportHarness.To, Identity: hostile));

        var html = files["reports/report.html"];
        Assert.DoesNotContain(hostile, html);
        Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(hostile), html);
        AssertInert(html);
        foreach (var (path, text) in files.Where(file => file.Key.EndsWith(".json", StringComparison.Ordinal)))
        {
            Assert.False(text.Contains('<') || text.Contains('>'), $"{path} holds a raw angle bracket");
        }
    }

    [Fact]
    public async Task Render_AnyPackage_IsSelfContainedWithNoScriptOrExternalResource()
    {
        var events = new GatewayEvents().Call("alice", "crm", "lookup", "s-1").PolicyLoaded("sha256:policy-a", null);

        var html = (await ReportHarness.RunAsync(events.Events)).GetValueOrDefault("reports/report.html")!;

        AssertInert(html);
        Assert.DoesNotMatch(ExternalReference(), html);
        foreach (var artifact in new[] { "manifest.note", "tree.json", "checkpoints.json", "leaves.txt", "verifier.key", "events.jsonl", "reports/access.json", "reports/data-left.json", "reports/masking.json" })
        {
            Assert.Contains(artifact, html);
        }

        foreach (var control in new[] { "II.C.7", "II.C.15", "II.C.22", "III.B", "authentication guidance (2021)", "AU-9", "AU-10", "AU-11", "PCI DSS 10.2" })
        {
            Assert.Contains(control, html);
        }
    }

    [Fact]
    public async Task Render_NoRetentionNorWorm_SaysPlainlyNoneIsSet()
    {
        var html = (await ReportHarness.RunAsync(new GatewayEvents().Call("alice", "crm", "lookup", "s-1").Events))["reports/report.html"];

        Assert.Contains("Payload retention: none set", html);
        Assert.Contains("WORM archive: none set", html);
    }

    [Fact]
    public async Task Render_RetentionSet_StatesIt()
    {
        var settings = ReportHarness.NoSettings with { Retention = "7y" };

        var files = await ReportHarness.RunAsync(new GatewayEvents().Call("alice", "crm", "lookup", "s-1").Events, settings);

        Assert.Contains("Payload retention: 7y", files["reports/report.html"]);
        Assert.Equal("7y", files.Json("reports/summary.json").GetProperty("retention").GetString());
    }

    /// <summary>Every tag in the page is one the report writes, with no attribute but class, lang or charset: a value that broke out of its encoding would add one.</summary>
    private static void AssertInert(string html)
    {
        Assert.StartsWith("<!DOCTYPE html>", html);
        foreach (Match tag in Tag().Matches(html))
        {
            Assert.Contains(tag.Groups["name"].Value.ToLowerInvariant(), AllowedTags);
            Assert.Matches(SafeAttributes(), tag.Groups["attributes"].Value);
        }
    }

    private static readonly string[] AllowedTags = ["html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "ul", "li", "table", "tr", "th", "td", "code", "strong", "br"];

    [GeneratedRegex(@"<(?!!DOCTYPE)/?(?<name>[A-Za-z0-9]+)(?<attributes>[^>]*)>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^(\s+(class|lang|charset)=""[a-z0-9-]*"")*$")]
    private static partial Regex SafeAttributes();

    [GeneratedRegex(@"(src|href)\s*=|url\(|@import", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
