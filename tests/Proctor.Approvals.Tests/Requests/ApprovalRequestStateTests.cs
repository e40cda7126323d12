using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Tests.Requests;

/// <summary>
/// The 2026-07-28 request state (decision 0042) as a generator: every binding member changed, every character of the
/// state changed, every cut, another key, past the expiry; each refused, with the genuine state beside it accepted.
/// </summary>
public sealed class ApprovalRequestStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 8, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly ApprovalRequestState Protector = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private static readonly CallBinding Binding = new("https://idp.example|ann", "bank", "transfer_funds", new string('a', 64), "policy-hash-1", "transfers-need-approval");

    private static readonly RequestStateClaims Claims = new("0190f0e0-0000-7000-8000-000000000001", RequestStateRound.Waiting, Now.AddMinutes(10));

    public static TheoryData<string, CallBinding> OtherCalls() => new()
    {
        { "another caller", Binding with { Identity = "https://idp.example|bob" } },
        { "the same subject from another issuer", Binding with { Identity = "https://other.example|ann" } },
        { "another server", Binding with { Server = "crm" } },
        { "another tool", Binding with { Tool = "close_account" } },
        { "other arguments", Binding with { ArgumentsDigest = new string('b', 64) } },
        { "a changed policy", Binding with { PolicyHash = "policy-hash-2" } },
        { "another rule", Binding with { Rule = "other-rule" } },
        { "members shifted across the boundary", Binding with { Server = "ban", Tool = "ktransfer_funds" } },
    };

    [Fact]
    public void Verify_GenuineState_ReturnsItsClaims()
    {
        var check = Protector.Verify(Protector.Protect(Claims, Binding), Binding, Now);

        Assert.Null(check.Problem);
        Assert.Equal(Claims, check.Claims);
    }

    [Fact]
    public void Verify_GenuineStateWithoutApprovalId_ReturnsItsClaims()
    {
        var justify = new RequestStateClaims(null, RequestStateRound.Justification, Now.AddMinutes(10));

        Assert.Equal(justify, Protector.Verify(Protector.Protect(justify, Binding), Binding, Now).Claims);
    }

    [Theory]
    [MemberData(nameof(OtherCalls))]
    public void Verify_StateShownOnAnotherCall_NotForThisCall(string change, CallBinding other)
    {
        var state = Protector.Protect(Claims, Binding);

        Assert.True(Protector.Verify(state, Binding, Now).Claims is not null, "the genuine one beside it");
        Assert.True(Protector.Verify(state, other, Now).Problem == RequestStateProblem.NotForThisCall, change);
    }

    [Fact]
    public void Verify_EveryCharacterChanged_Refused()
    {
        var state = Protector.Protect(Claims, Binding);
        for (var i = 0; i < state.Length; i++)
        {
            foreach (var replacement in new[] { 'A', '_', '.', '0' })
            {
                if (state[i] == replacement)
                {
                    continue;
                }

                var altered = string.Concat(state.AsSpan(0, i), replacement.ToString(), state.AsSpan(i + 1));
                Assert.True(Protector.Verify(altered, Binding, Now).Claims is null, $"character {i} changed to '{replacement}' was accepted: {altered}");
            }
        }
    }

    [Fact]
    public void Verify_EveryCut_Refused()
    {
        var state = Protector.Protect(Claims, Binding);
        for (var length = 0; length < state.Length; length++)
        {
            Assert.True(Protector.Verify(state[..length], Binding, Now).Claims is null, $"cut to {length} characters was accepted");
        }

        Assert.Null(Protector.Verify(state + "A", Binding, Now).Claims);
        Assert.Null(Protector.Verify(state + ".A", Binding, Now).Claims);
    }

    [Fact]
    public void Verify_ClaimsSwappedFromAnotherStateOfTheSameCaller_NotForThisCall()
    {
        // A genuine payload (a later expiry) grafted onto another genuine tag: the tag covers the payload.
        var mine = Protector.Protect(Claims, Binding);
        var longer = Protector.Protect(Claims with { ExpiresAt = Now.AddDays(30) }, Binding);
        var grafted = longer[..longer.LastIndexOf('.')] + mine[mine.LastIndexOf('.')..];

        Assert.Equal(RequestStateProblem.NotForThisCall, Protector.Verify(grafted, Binding, Now).Problem);
    }

    [Fact]
    public void Verify_AnotherGatewaysKey_NotForThisCall()
    {
        var other = new ApprovalRequestState(Enumerable.Repeat((byte)9, 32).ToArray());

        Assert.Equal(RequestStateProblem.NotForThisCall, Protector.Verify(other.Protect(Claims, Binding), Binding, Now).Problem);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(599, true)]
    [InlineData(600, false)]
    [InlineData(86400, false)]
    public void Verify_AroundTheExpiry_AcceptedOnlyBefore(int secondsLater, bool accepted)
    {
        var check = Protector.Verify(Protector.Protect(Claims, Binding), Binding, Now.AddSeconds(secondsLater)); // Claims expire 600 s after Now

        Assert.Equal(accepted, check.Claims is not null);
        Assert.Equal(accepted ? null : RequestStateProblem.Expired, check.Problem);
    }

    [Theory]
    [InlineData("")]
    [InlineData("proctor-held:0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("proctor-approval.1.")]
    [InlineData("proctor-approval.1..")]
    [InlineData("proctor-approval.1.e30.e30.e30")]
    [InlineData("proctor-approval.1.e30+.e30")]
    [InlineData("upstream-state-blob")]
    public void Verify_NotOneOfOurStates_Malformed(string state) =>
        Assert.Equal(RequestStateProblem.Malformed, Protector.Verify(state, Binding, Now).Problem);

    [Fact]
    public void Protect_StateCarriesNeitherTheCallerNorTheArgumentsDigest()
    {
        var state = Protector.Protect(Claims, Binding);
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(state.Split('.')[2].Replace('-', '+').Replace('_', '/').PadRight((state.Split('.')[2].Length + 3) / 4 * 4, '=')));

        Assert.StartsWith(ApprovalRequestState.Prefix, state);
        Assert.Contains(Claims.ApprovalId!, payload);
        Assert.DoesNotContain("ann", payload);
        Assert.DoesNotContain(Binding.ArgumentsDigest, payload);
        Assert.DoesNotContain("transfer_funds", payload);
    }

    [Fact]
    public void Constructor_ShortKey_Refused() =>
        Assert.Throws<ArgumentException>(() => new ApprovalRequestState(new byte[31]));
}
