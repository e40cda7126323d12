using Proctor.Policy.Conditions.Checking;

namespace Proctor.Policy.Tests.Conditions;

/// <summary>Conditions refused when the policy loads, each with the exact message (position: message).</summary>
public sealed class CelCompilerTests
{
    public static TheoryData<string, string> Rejected => new()
    {
        { "", "0: the condition is empty; remove the key or write an expression such as args.amount > 10000" },
        { "args.amount >", "13: expected a value, a name or '(', found the end of the condition" },
        { "args.amount = 1", "12: '=' is not an operator in CEL; compare with '=='" },
        { "args.a & args.b", "7: '&' alone is not an operator in CEL; use '&&'" },
        { "(args.amount > 1", "16: expected ')' to close '(', found the end of the condition" },
        { "args.amount > 1 args", "16: unexpected 'args' after a complete expression" },
        { "'open", "0: this string is not closed; end it with '" },
        { "'\\q'", "1: '\\q' is not an escape CEL knows" },
        { "b'x' == b'x'", "0: bytes literals (b\"…\") are not supported; compare strings instead" },
        { "9223372036854775808 > 1", "0: this int literal is larger than 2^63-1; write a double (with '.0') or a uint (with 'u')" },
        { "args.if > 1", "5: 'if' is a reserved word in CEL and cannot be used as a name" },
        { "argz.amount > 1", "0: unknown name 'argz'; a condition reads args, caller and target; did you mean 'args'?" },
        { "caller == 'x'", "0: caller is read one field at a time, e.g. caller.subject or caller.groups; fields: subject, issuer, method, agentKey, groups, roles, scopes, amr, acr, mfa, authAge" },
        { "caller.group.exists(g, g == 'x')", "7: caller has no field 'group'; did you mean 'groups'?; fields: subject, issuer, method, agentKey, groups, roles, scopes, amr, acr, mfa, authAge" },
        { "target.tol == 'x'", "7: target has no field 'tol'; did you mean 'tool'?; fields: server, kind, name, tool" },
        { "args.account.startswith('GL-')", "13: unknown method 'startswith'; did you mean 'startsWith'?; methods: size, startsWith, endsWith, contains, matches, lowerAscii, upperAscii, all, exists, exists_one, map, filter" },
        { "len(args.memo) > 3", "0: unknown function 'len'; functions: size, int, uint, double, string, matches, has, and the methods size, startsWith, endsWith, contains, matches, lowerAscii, upperAscii, all, exists, exists_one, map, filter" },
        { "args.memo.startsWith('a', 'b')", "10: startsWith() takes 1 argument, found 2" },
        { "args.memo.matches(args.pattern)", "23: matches() needs a literal pattern (a quoted string), so that it is compiled once when the policy loads" },
        { "args.memo.matches('(a)\\\\1')", "18: the pattern is not a regular expression this gateway can run in linear time: RegexOptions.NonBacktracking is not supported in conjunction with expressions containing: 'backreference (\\ number)' (backreferences, lookaround and atomic groups are not supported)" },
        { "has(args)", "0: has() takes one field selection, e.g. has(args.amount)" },
        { "args.tags.all(t)", "10: all() takes 2 arguments: a variable name and an expression, e.g. all(x, x > 0)" },
        { "args.tags.exists('t', true)", "17: the first argument of exists() must be a plain variable name" },
        { "args.tags.exists(args, true)", "10: the loop variable 'args' hides another name; choose another, e.g. 'a'" },
        { "caller.groups > 3", "14: cannot order a list and a int with '>'" },
        { "'a' - 1 == 0", "4: '-' does not apply to a string and a int" },
        { "1 + 1.5 > 2.0", "2: '+' does not apply to a int and a double; CEL does not mix number types in arithmetic: convert one side, e.g. double(x)" },
        { "caller.subject.size > 1", "15: cannot select 'size' from a string; call it: .size(…)" },
        { "caller.mfa.startsWith('x')", "7: startsWith() works on strings, not on a bool" },
        { "!caller.subject", "0: '!' needs true or false, not a string" },
        { "args.amount > 1 && 'yes'", "16: '&&' joins true/false values, not bool and string" },
        { "caller.subject", "7: a condition must give true or false; this one gives string" },
        { "size(caller.mfa) > 0", "0: size() takes a string, list or map, not bool" },
        { "args.amount in 'abc'", "12: 'in' needs a list or a map on its right, not a string" },
        { "1 ? true : false", "2: the condition before '?' must be true or false, not a int" },
        { "Account{id: 1}.id == 1", "7: message construction (Type{field: value}) is not supported" },
        { ".args.amount > 1", "0: leading '.' (root-scoped names) is not supported; write the name without it" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Compile_InvalidCondition_NamesPositionAndFix(string expression, string expected) => Assert.Equal(expected, Assert.Single(Cel.CompileErrors(expression)));

    [Fact]
    public void Compile_SeveralProblems_ReportsEachOne() =>
        Assert.Equal(["0: unknown name 'a'; a condition reads args, caller and target", "19: caller has no field 'x'; fields: subject, issuer, method, agentKey, groups, roles, scopes, amr, acr, mfa, authAge"],
            Cel.CompileErrors("a.b == 1 && caller.x == 2"));

    [Fact]
    public void Compile_NestingBeyondTheLimit_IsRefusedNotAStackOverflow()
    {
        var deep = new string('(', 5000) + "true" + new string(')', 5000);

        Assert.Equal($"0: the condition is {deep.Length} characters long; the limit is 4096", Assert.Single(Cel.CompileErrors(deep)));
        Assert.Contains("nests deeper than 48 levels", Assert.Single(Cel.CompileErrors(new string('(', 60) + "true" + new string(')', 60))));
        Assert.Contains("nests deeper than 48 levels", Assert.Single(Cel.CompileErrors(new string('!', 60) + "true")));
    }

    [Theory]
    [InlineData("args.amount > 1", true)]
    [InlineData("has(args.memo)", true)]
    [InlineData("caller.groups.exists(g, g == 'treasury')", false)]
    [InlineData("target.name.startsWith('get_')", false)]
    [InlineData("caller.groups.exists(args2, args2 == 'x')", false)]
    public void Compile_ReadsArgs_OnlyWhenArgsAppears(string expression, bool readsArgs) =>
        Assert.Equal(readsArgs, CelCompiler.Compile(expression).Condition!.ReadsArgs);

    [Fact]
    public void Compile_ArgumentPaths_AreTheLongestFixedNames() =>
        Assert.Equal(["args.amount", "args.account.id", "args.memo"],
            CelCompiler.Compile("args.amount > 1 && has(args.account) && args.account.id == 'x' && args['memo'] != '' && args.tags.exists(t, t.x == 1)")
                .Condition!.ArgumentPaths.Select(p => p.ToString()).Where(p => p != "args.tags"));
}
