namespace Proctor.Policy.Tests.Conditions;

/// <summary>
/// Everything docs/policy.md ("CEL reference") promises, as expression → value over the fixed
/// arguments in <see cref="Cel.Args"/> and caller in <see cref="Cel.Caller"/>. Values follow cel-spec.
/// </summary>
public sealed class CelConformanceTests
{
    public static TheoryData<string, string> Table => new()
    {
        // literals
        { "1", "1" }, { "-9223372036854775808", "-9223372036854775808" }, { "0x1F", "31" }, { "1u", "1u" }, { "2.5", "2.5" }, { "1e3", "1000" },
        { "'a\\tb'", "\"a\tb\"" }, { "\"\\u00e9\"", "\"é\"" }, { "r'\\d+'", "\"\\d+\"" }, { "'''x'y'''", "\"x'y\"" }, { "true", "true" }, { "null", "null" },

        // comparison, across number types
        { "args.amount > 10000", "true" }, { "args.amount >= 15000", "true" }, { "args.amount < 15000", "false" }, { "args.amount <= 15000.0", "true" },
        { "args.amount == 15000.0", "true" }, { "args.amount != 15000u", "false" }, { "args.price > 19", "true" }, { "1u < 2", "true" }, { "-1 < 1u", "true" },
        { "args.big == 1000", "true" }, { "'abc' < 'abd'", "true" }, { "false < true", "true" }, { "9223372036854775807 < 9223372036854775808.0", "true" },
        { "0.0/0.0 == 0.0/0.0", "false" }, { "0.0/0.0 < 1.0", "false" },
        { "1 == 'a'", "false" }, { "null == null", "true" }, { "args.nothing == null", "true" }, { "args.flag == true", "true" },
        { "[1, 2] == [1, 2]", "true" }, { "[1, 2] == [2, 1]", "false" }, { "{'a': 1} == {'a': 1.0}", "true" }, { "args.nested == {'x': 1, 'list': [1, 2, 3]}", "true" },

        // arithmetic
        { "args.amount + 1", "15001" }, { "args.amount - 20000", "-5000" }, { "args.amount * 2", "30000" }, { "args.amount / 7", "2142" }, { "args.amount % 7", "6" },
        { "-args.amount", "-15000" }, { "args.price * 2.0", "39.98" }, { "7u / 2u", "3u" }, { "1.0 / 0.0", "∞" }, { "'a' + 'b'", "\"ab\"" }, { "[1] + [2]", "[1, 2]" },
        { "9223372036854775807 + 1", "error: integer overflow in '+'" }, { "-9223372036854775808 - 1", "error: integer overflow in '-'" },
        { "9223372036854775807 * 2", "error: integer overflow in '*'" }, { "1 / 0", "error: division by zero" }, { "1 % 0", "error: modulus by zero" },
        { "0u - 1u", "error: integer overflow in '-'" }, { "args.amount + 1.5", "error: no such overload: int + double" },

        // strings
        { "args.account.startsWith('GL-')", "true" }, { "args.account.endsWith('34')", "true" }, { "args.memo.contains('March')", "true" },
        { "args.account.matches('^GL-[0-9]+$')", "true" }, { "matches(args.account, '^CH-')", "false" }, { "args.account.matches('[0-9]{4}')", "true" },
        { "size(args.memo)", "10" }, { "args.memo.size()", "10" }, { "size('héllo😀')", "6" }, { "args.memo.lowerAscii()", "\"rent march\"" },
        { "'Grüße'.upperAscii()", "\"GRüßE\"" }, { "args.amount.startsWith('1')", "error: no such overload: int startsWith string" },

        // in, lists, maps, indexing
        { "'urgent' in args.tags", "true" }, { "'slow' in args.tags", "false" }, { "'x' in args.nested", "true" }, { "'y' in args.nested", "false" },
        { "2 in args.nested.list", "true" }, { "2.0 in [1, 2]", "true" }, { "args.tags[1]", "\"wire\"" }, { "args.tags[2]", "error: index 2 is outside the list (size 2)" },
        { "args.nested['x']", "1" }, { "args['account']", "\"GL-1234\"" }, { "{'a': 1, 2: 'b'}[2]", "\"b\"" }, { "size(args.tags)", "2" }, { "size(args.nested)", "2" },
        { "args.accounts[0].id", "\"GL-1\"" }, { "args.missing", "error: no such key: 'missing'" }, { "args.nothing.x", "error: cannot select 'x' from a value of type null" },
        { "args.nested.missing == 1", "error: no such key: 'missing'" }, { "{'a': 1}['b']", "error: no such key: \"b\"" },

        // has() and null handling
        { "has(args.amount)", "true" }, { "has(args.missing)", "false" }, { "has(args.nothing)", "true" }, { "has(args.nested.x)", "true" },
        { "has(args.missing) && args.missing > 1", "false" }, { "!has(args.missing) || args.missing > 1", "true" }, { "has(args.missing.x)", "error: no such key: 'missing'" },
        { "has(caller.acr)", "true" }, { "has(target.tool)", "true" },

        // macros
        { "args.tags.exists(t, t == 'wire')", "true" }, { "args.tags.all(t, size(t) > 3)", "true" }, { "args.tags.exists_one(t, t.startsWith('u'))", "true" },
        { "args.tags.map(t, size(t))", "[6, 4]" }, { "args.tags.filter(t, t.startsWith('w'))", "[\"wire\"]" }, { "args.nested.list.map(n, n > 1, n * 10)", "[20, 30]" },
        { "args.accounts.exists(a, a.id.startsWith('CH-'))", "true" }, { "args.nested.exists(k, k == 'list')", "true" }, { "[].all(x, x > 0)", "true" },
        { "[].exists(x, x > 0)", "false" }, { "[1, 2].exists_one(x, x > 0)", "false" }, { "[[1, 2], [3]].map(l, l.map(x, x * 2))", "[[2, 4], [6]]" },
        { "[0, 1].all(x, 1 / x < 0)", "false" }, { "[0, 1].all(x, 1 / x > 0)", "error: division by zero" }, { "[1, 0].exists(x, 1 / x > 0)", "true" }, { "[0, 1].exists(x, 1 / x > 5)", "error: division by zero" },

        // logical operators absorb errors as CEL's do
        { "false && 1 / 0 > 0", "false" }, { "1 / 0 > 0 && false", "false" }, { "true || 1 / 0 > 0", "true" }, { "1 / 0 > 0 || true", "true" },
        { "1 / 0 > 0 && true", "error: division by zero" }, { "!(args.amount > 1)", "false" },

        // ternary
        { "args.amount > 10000 ? 'big' : 'small'", "\"big\"" }, { "has(args.limit) ? args.limit : 10", "10" },

        // conversions
        { "int(args.price)", "19" }, { "int(-2.7)", "-2" }, { "int('42')", "42" }, { "int(18446744073709551615u)", "error: 18446744073709551615u is out of the range of int" },
        { "int('4x')", "error: int() cannot read \"4x\" as an integer" }, { "int(1e19)", "error: 1E+19 is out of the range of int" }, { "uint(args.amount)", "15000u" },
        { "uint(-1)", "error: -1 is out of the range of uint" }, { "double(args.amount)", "15000" }, { "double('2.5')", "2.5" }, { "string(args.amount)", "\"15000\"" },
        { "string(2.5)", "\"2.5\"" }, { "string(true)", "\"true\"" }, { "string(3u)", "\"3\"" }, { "double(args.amount) * 1.5 > 20000.0", "true" },

        // caller and target
        { "caller.subject", "\"alice\"" }, { "caller.issuer", "\"https://login.bank.example\"" }, { "caller.method", "\"oidc\"" }, { "caller.agentKey", "null" },
        { "caller.groups.exists(g, g == 'treasury')", "true" }, { "'admin' in caller.roles", "true" }, { "'bank.payments' in caller.scopes", "true" },
        { "caller.amr", "[\"pwd\", \"otp\"]" }, { "caller.acr", "\"urn:bank:loa:high\"" }, { "caller.mfa", "true" }, { "caller.authAge", "300" },
        { "caller.authAge < 900", "true" }, { "target.server", "\"bank\"" }, { "target.kind", "\"tool\"" }, { "target.name", "\"transfer_funds\"" }, { "target.tool", "\"transfer_funds\"" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Evaluate_Expression_GivesCelValue(string expression, string expected) =>
        Assert.Equal(expected.Replace("∞", double.PositiveInfinity.ToString("R", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), Cel.Eval(expression));

    [Fact]
    public void Evaluate_NoArguments_ArgsIsAnEmptyMap() => Assert.Equal("false", Cel.Eval("has(args.amount) || size(args) > 0", args: null));

    [Fact]
    public void Evaluate_DuplicatedJsonKey_IsAnError_NotTheFirstOrLastValue() =>
        Assert.StartsWith("error: the call's arguments could not be read", Cel.Eval("args.amount > 10000", """{"amount": 1, "amount": 99999}"""));

    [Fact]
    public void Evaluate_IntegerBeyondInt64_IsADouble() => Assert.Equal("true", Cel.Eval("args.n > 9223372036854775807", """{"n": 99999999999999999999}"""));
}
