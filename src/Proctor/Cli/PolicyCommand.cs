using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Configuration.Policies;
using Proctor.Policy.Decisions;
using Proctor.Policy.Testing;

namespace Proctor.Cli;

/// <summary>
/// <c>proctor policy check|test</c>: explain one decision, and run a file of expected decisions (docs/policy.md).
/// The policy comes from <c>--policy FILE</c>, or from the configuration (<c>--config</c>), whose upstreams its server
/// patterns must then match. Exit codes: 0 allowed / every case passed; 1 refused / a case failed; 2 a file is wrong.
/// </summary>
internal static class PolicyCommand
{
    public static Command Create()
    {
        var command = new Command("policy", "Explain the policy's decisions and test a policy against expected decisions.");
        command.Subcommands.Add(CheckCommand());
        command.Subcommands.Add(TestCommand());
        return command;
    }

    private static Option<FileInfo?> PolicyOption() => new("--policy", "-p") { Description = "A policy file to use instead of the configuration's policy (its server patterns are then not checked against upstreams)." };

    private static Option<FileInfo> ConfigOption() => new("--config", "-c")
    {
        Description = "The gateway's configuration; its policy is used unless --policy is given (default: proctor.yaml in the current folder).",
        DefaultValueFactory = _ => new FileInfo("proctor.yaml"),
    };

    private static Command CheckCommand()
    {
        var subject = new Option<string>("--as") { Description = "The caller's subject (the token's sub; agent keys: agent:NAME).", Required = true };
        var groups = new Option<string[]>("--group") { Description = "A group the caller is in (repeat for several).", AllowMultipleArgumentsPerToken = false };
        var scopes = new Option<string[]>("--scope") { Description = "A scope the caller's token grants (repeat for several)." };
        var amr = new Option<string[]>("--amr") { Description = "How the caller signed in (amr), e.g. --amr pwd --amr otp for MFA." };
        var agentKey = new Option<string?>("--agent-key") { Description = "The caller is this agent key (name)." };
        var call = new Option<string>("--call") { Description = "The tool, as server__tool (e.g. bank__transfer_funds).", Required = true };
        var args = new Option<string>("--args") { Description = "The call's arguments as a JSON object, e.g. '{\"amount\": 15000}'.", DefaultValueFactory = _ => "{}" };
        var at = new Option<DateTimeOffset?>("--at") { Description = "Decide at this instant (ISO 8601), for time windows; default now." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text, for scripts." };
        var policy = PolicyOption();
        var config = ConfigOption();
        var command = new Command("check", "Show the decision for one call, the rules that matched in order, and why each other rule did not.")
        {
            subject, groups, scopes, amr, agentKey, call, args, at, json, policy, config,
        };
        command.SetAction(result =>
        {
            if (Load(result.GetValue(policy), result.GetValue(config)!) is not { } loaded)
            {
                return ExitCodes.BadConfiguration;
            }

            var qualified = result.GetValue(call)!;
            var split = qualified.IndexOf("__", StringComparison.Ordinal);
            if (split <= 0 || split + 2 >= qualified.Length)
            {
                Console.Error.WriteLine($"error: --call '{qualified}' is not server__tool; write it as the aggregate endpoint names it, e.g. --call bank__transfer_funds");
                return ExitCodes.BadConfiguration;
            }

            JsonNode? arguments;
            try
            {
                arguments = JsonNode.Parse(result.GetValue(args)!);
            }
            catch (JsonException e)
            {
                Console.Error.WriteLine($"error: --args is not JSON ({e.Message}); pass an object in single quotes, e.g. --args '{{\"amount\": 15000}}'");
                return ExitCodes.BadConfiguration;
            }

            if (arguments is not JsonObject)
            {
                Console.Error.WriteLine("error: --args must be a JSON object, e.g. --args '{\"amount\": 15000}'");
                return ExitCodes.BadConfiguration;
            }

            var key = result.GetValue(agentKey);
            var when = result.GetValue(at) ?? DateTimeOffset.UtcNow;
            var caller = new PolicyCaller(result.GetValue(subject)!)
            {
                Method = key is null ? "oidc" : "agent-key",
                AgentKey = key,
                Groups = result.GetValue(groups) ?? [],
                Scopes = result.GetValue(scopes) ?? [],
                AuthenticationMethods = result.GetValue(amr) ?? [],
                AuthenticatedAt = when,
            };
            var target = PolicyTarget.Tool(qualified[..split], qualified[(split + 2)..]);
            var explanation = loaded.Model.Explain(new PolicyRequest(caller, target, arguments, when));
            var listed = loaded.Model.IsVisible(caller, target, when);
            if (result.GetValue(json))
            {
                var body = explanation.ToJson();
                body["listed"] = listed;
                body["source"] = loaded.Source;
                Console.WriteLine(body.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            }
            else
            {
                PrintExplanation(explanation, listed, loaded);
            }

            return explanation.Decision.IsAllowed ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static Command TestCommand()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A file of expected decisions (cases: [{ name, as, groups, call, args, expect, rule, listed }]; docs/policy.md)." };
        var policy = PolicyOption();
        var config = ConfigOption();
        var command = new Command("test", "Run a file of expected decisions against the policy; exit 0 only when every case passes (for CI).") { file, policy, config };
        command.SetAction(result =>
        {
            var tests = result.GetValue(file)!;
            if (!tests.Exists)
            {
                Console.Error.WriteLine($"error: test file '{tests.FullName}' does not exist; pass a YAML file with cases: [...] (docs/policy.md, \"Testing a policy\").");
                return ExitCodes.BadConfiguration;
            }

            if (Load(result.GetValue(policy), result.GetValue(config)!) is not { } loaded)
            {
                return ExitCodes.BadConfiguration;
            }

            var (cases, errors) = PolicyTestSuite.Read(File.ReadAllText(tests.FullName), DateTimeOffset.UtcNow);
            if (errors.Count > 0)
            {
                Console.Error.WriteLine($"error: {tests.FullName} is not a valid policy test file ({errors.Count} problem(s)):");
                foreach (var error in errors)
                {
                    Console.Error.WriteLine($"  {error}");
                }

                return ExitCodes.BadConfiguration;
            }

            var results = PolicyTestSuite.Run(loaded.Model, cases);
            foreach (var run in results)
            {
                Console.WriteLine(run.Failure is null
                    ? $"pass  {run.Case.Name}: {PolicyExplanation.Name(run.Decision.Effect)} by {run.Decision.RuleId}"
                    : $"FAIL  {run.Case.Name}: {run.Failure}");
            }

            var failed = results.Count(r => r.Failure is not null);
            Console.WriteLine($"{results.Count - failed} passed, {failed} failed; policy {loaded.Model.Hash} ({loaded.Source})");
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        });
        return command;
    }

    private static void PrintExplanation(PolicyExplanation explanation, bool listed, GatewayPolicy loaded)
    {
        var decision = explanation.Decision;
        Console.WriteLine($"Decision: {PolicyExplanation.Name(decision.Effect)} by rule '{decision.RuleId}' ({decision.ReasonCode})");
        Console.WriteLine($"  {decision.Message}");
        if (decision.Link is { } link)
        {
            Console.WriteLine($"  To ask for access: {link}");
        }

        Console.WriteLine($"Listed for this caller: {(listed ? "yes" : "no")}");
        Console.WriteLine($"Policy: {loaded.Model.Hash} ({loaded.Source})");
        var matched = explanation.Matched.ToList();
        Console.WriteLine(matched.Count == 0 ? "Rules that matched: none" : "Rules that matched, in order:");
        foreach (var rule in matched)
        {
            Console.WriteLine($"  [{rule.Index}] {rule.Id} ({PolicyExplanation.Name(rule.Effect)})");
        }

        var others = explanation.Rules.Where(r => r.Outcome != RuleOutcome.Matched).ToList();
        if (others.Count > 0)
        {
            Console.WriteLine("Rules that did not, and why:");
            foreach (var rule in others)
            {
                Console.WriteLine($"  [{rule.Index}] {rule.Id} ({PolicyExplanation.Name(rule.Effect)}): {PolicyExplanation.OutcomeName(rule.Outcome)}: {rule.Detail}");
            }
        }
    }

    /// <summary>The policy from --policy, else the configuration's; null after printing what is wrong.</summary>
    private static GatewayPolicy? Load(FileInfo? policy, FileInfo config)
    {
        if (policy is not null)
        {
            var loaded = PolicyLoader.LoadFile(policy.FullName, servers: null);
            foreach (var error in loaded.Errors)
            {
                Console.Error.WriteLine($"error: {error}");
            }

            if (loaded.Errors.Count > 0)
            {
                Console.Error.WriteLine($"The policy file {policy.FullName} has {loaded.Errors.Count} problem(s); the gateway would refuse it too. Fix them and run this again.");
            }

            return loaded.Policy;
        }

        if (!config.Exists)
        {
            Console.Error.WriteLine($"error: configuration file '{config.FullName}' does not exist; pass --config with the gateway's configuration, or --policy with a policy file.");
            return null;
        }

        var result = ConfigurationLoader.LoadFile(config.FullName, GatewayData.ProcessEnvironment());
        if (!result.Succeeded)
        {
            GatewayData.ReportErrors(config, result.Errors);
        }

        return result.Model?.Policy;
    }
}
