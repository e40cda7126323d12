using Proctor.Evidence;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Masking;
using Proctor.Masking.Policy;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// What a stdio upstream prints on stderr reaches the gateway's log masked, like any stored copy;
/// a line that cannot be masked is withheld, and the log says so.
/// </summary>
public sealed class UpstreamStderrMaskingTests
{
    private const string Ssn = "123-45-6789";

    [Fact]
    public async Task SsnOnStderr_ReachesTheLogMasked()
    {
        // The shell computes the SSN, so that it is in no command line the gateway logs when it spawns the server.
        var log = new CapturedLog();
        await using var gateway = await GatewayUnderTest.StartAsync($"""
              bank:
                command: sh
                args: ["-c", "echo \"lookup failed for customer with SSN $((100 + 23))-45-6789\" >&2; exec dotnet \"$0\" sample bank-server", "{Peers.ProctorDll}"]
            """, log: log, logLevel: "Information");
        await using var client = await Clients.ConnectAsync(gateway.Mcp("bank"), "2025-11-25");
        await client.ListToolsAsync();

        await Eventually.TrueAsync(() => log.Lines.Any(line => line.Contains("stderr: lookup failed for customer with SSN ***-**-6789", StringComparison.Ordinal)), TimeSpan.FromSeconds(30));
        Assert.Contains(log.Lines, line => line.Contains("stderr: proctor sample bank:", StringComparison.Ordinal)); // clean lines pass unchanged
        Assert.DoesNotContain(log.Lines, line => line.Contains(Ssn, StringComparison.Ordinal) || line.Contains("123456789", StringComparison.Ordinal));
    }

    [Fact]
    public void LineThatCannotBeMaskedInTime_IsWithheld()
    {
        // Nested quantifiers over a long run of 'a' without a match backtrack far beyond a 1 ms budget.
        var engine = MaskingEngine.Create(
            new MaskingPolicy { CustomPatterns = [new CustomPattern("slow", "(a+)+b")], TimeBudget = TimeSpan.FromMilliseconds(1) },
            new byte[MaskingEngine.MinTokenKeyBytes]);

        Assert.Null(new EngineLogLineMasker(engine).Mask("bank", "SSN " + Ssn + " " + new string('a', 40) + "!"));
        Assert.Equal("SSN ***-**-6789", new EngineLogLineMasker(MaskingEngine.Create(new MaskingPolicy(), new byte[MaskingEngine.MinTokenKeyBytes])).Mask("bank", "SSN " + Ssn));
    }
}
