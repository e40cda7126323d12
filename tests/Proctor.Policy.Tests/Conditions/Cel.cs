using System.Text.Json.Nodes;
using Proctor.Policy.Conditions;
using Proctor.Policy.Conditions.Checking;
using Proctor.Policy.Decisions;
using Proctor.Policy.Rules;

namespace Proctor.Policy.Tests.Conditions;

/// <summary>Compiles and runs a condition against fixed facts, for the CEL tables.</summary>
internal static class Cel
{
    public static readonly PolicyCaller Caller = new("alice")
    {
        Issuer = "https://login.bank.example",
        Groups = ["treasury", "analysts"],
        Roles = ["admin"],
        Scopes = ["bank.read", "bank.payments"],
        AuthenticationMethods = ["pwd", "otp"],
        AuthenticationContext = "urn:bank:loa:high",
        AuthenticatedAt = Policies.WorkingHours.AddMinutes(-5),
    };

    public const string Args = """
        {"amount": 15000, "price": 19.99, "account": "GL-1234", "memo": "rent March", "tags": ["urgent", "wire"],
         "nested": {"x": 1, "list": [1, 2, 3]}, "nothing": null, "flag": true, "big": 1e3, "accounts": [{"id": "GL-1"}, {"id": "CH-2"}]}
        """;

    public static CelCondition Compile(string expression)
    {
        var (condition, errors) = CelCompiler.Compile(expression, requireBoolean: false);
        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => $"{e.Position}: {e.Message}")));
        return condition!;
    }

    /// <summary>The value as the tables spell it: <c>true</c>, <c>15000</c>, <c>"GL-1234"</c>, <c>[1, 2]</c>, or <c>error: …</c>.</summary>
    public static string Eval(string expression, string? args = Args, int budget = CelBudget.Default)
    {
        var request = new PolicyRequest(Caller, PolicyTarget.Tool("bank", "transfer_funds"), args is null ? null : JsonNode.Parse(args), Policies.WorkingHours);
        return Compile(expression).Evaluate(request, RoleBook.Empty, budget).ToString();
    }

    public static string[] CompileErrors(string expression) => [.. CelCompiler.Compile(expression).Errors.Select(e => $"{e.Position}: {e.Message}")];
}
