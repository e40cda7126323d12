using System.ComponentModel;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Protocol;

namespace Proctor.Samples.Conformance.Tools;

/// <summary>
/// Multi round-trip request tools (SEP-2322) that carry progress between rounds in
/// <c>requestState</c>. Nothing is kept on the server between rounds: the state travels with the
/// client, signed, and a state that was altered, expired or issued for another tool is refused.
/// </summary>
[McpServerToolType]
internal sealed class RequestStateTools(RequestStateProtector states)
{
    private const string MultiRound = "test_input_required_result_multi_round";
    private const string RequestStateTool = "test_input_required_result_request_state";
    private const string MultipleInputs = "test_input_required_result_multiple_inputs";
    private const string TamperedState = "test_input_required_result_tampered_state";

    [McpServerTool(Name = RequestStateTool)]
    [Description("Asks for a confirmation and carries a signed requestState across the round trip.")]
    public string RequestState(McpServer server, RequestContext<CallToolRequestParams> context)
    {
        if (context.Params.RequestState is { } state
            && InputResponseReader.TryReadElicitation(context.Params.InputResponses, "confirm", out var answer))
        {
            var issued = states.Unprotect(RequestStateTool, state);
            return $"state-ok: requestState issued for '{issued["question"]}' verified; "
                + $"confirmation action {answer.Action}, ok={InputResponseReader.Field(answer, "ok") ?? "absent"}.";
        }

        ClientCapabilityGuard.RequireElicitation(server);
        throw InputRequests.Ask(
            states.Protect(RequestStateTool, new JsonObject { ["question"] = "confirm" }),
            ("confirm", InputRequests.AskConfirmation("Please confirm")));
    }

    [McpServerTool(Name = MultipleInputs)]
    [Description("Needs the user's name, a greeting from the model and the client's roots, asked for in one round.")]
    public string MultipleInputRequests(McpServer server, RequestContext<CallToolRequestParams> context)
    {
        var responses = context.Params.InputResponses;
        if (context.Params.RequestState is { } state)
        {
            states.Unprotect(MultipleInputs, state);
            if (InputResponseReader.TryReadElicitation(responses, "user_name", out var name)
                && InputResponseReader.TryReadSampling(responses, "greeting", out var greeting)
                && InputResponseReader.TryReadRoots(responses, "client_roots", out var roots))
            {
                return $"{InputResponseReader.Text(greeting)} {InputResponseReader.Field(name, "name")}! "
                    + $"Your roots: {InputRequests.Describe(roots)}";
            }
        }

        ClientCapabilityGuard.RequireElicitation(server);
        ClientCapabilityGuard.RequireSampling(server);
        ClientCapabilityGuard.RequireRoots(server);
        throw InputRequests.Ask(
            states.Protect(MultipleInputs, new JsonObject { ["inputs"] = 3 }),
            ("user_name", InputRequests.AskText("What is your name?", "name")),
            ("greeting", InputRequests.AskModel("Generate a greeting", 50)),
            ("client_roots", InputRequest.ForRootsList(new ListRootsRequestParams())));
    }

    [McpServerTool(Name = MultiRound)]
    [Description("Asks for a name, then a favorite color, in two successive rounds whose progress lives in requestState.")]
    public string MultiRoundConversation(McpServer server, RequestContext<CallToolRequestParams> context)
    {
        var responses = context.Params.InputResponses;
        var state = context.Params.RequestState is { } issued ? states.Unprotect(MultiRound, issued) : null;
        var round = (int?)state?["round"] ?? 0;

        if (round == 0)
        {
            ClientCapabilityGuard.RequireElicitation(server);
            throw AskForName();
        }

        if (round == 1)
        {
            if (!InputResponseReader.TryReadElicitation(responses, "step1", out var nameAnswer))
            {
                throw AskForName();
            }

            var name = InputResponseReader.Field(nameAnswer, "name") ?? "stranger";
            throw AskForColor(name);
        }

        var rememberedName = (string?)state!["name"] ?? "stranger";
        if (!InputResponseReader.TryReadElicitation(responses, "step2", out var colorAnswer))
        {
            throw AskForColor(rememberedName);
        }

        return $"{rememberedName}'s favorite color is {InputResponseReader.Field(colorAnswer, "color") ?? "unknown"}.";

        InputRequiredException AskForName() => InputRequests.Ask(
            states.Protect(MultiRound, new JsonObject { ["round"] = 1 }),
            ("step1", InputRequests.AskText("Step 1: What is your name?", "name")));

        InputRequiredException AskForColor(string name) => InputRequests.Ask(
            states.Protect(MultiRound, new JsonObject { ["round"] = 2, ["name"] = name }),
            ("step2", InputRequests.AskText("Step 2: What is your favorite color?", "color")));
    }

    [McpServerTool(Name = TamperedState)]
    [Description("Issues an HMAC-signed requestState and rejects any retry whose state was altered.")]
    public string TamperedStateCheck(McpServer server, RequestContext<CallToolRequestParams> context)
    {
        if (context.Params.RequestState is { } state)
        {
            states.Unprotect(TamperedState, state);
            if (InputResponseReader.TryReadElicitation(context.Params.InputResponses, "confirm", out var answer))
            {
                return $"requestState verified; confirmation action {answer.Action}.";
            }
        }

        ClientCapabilityGuard.RequireElicitation(server);
        throw InputRequests.Ask(
            states.Protect(TamperedState, new JsonObject { ["question"] = "confirm" }),
            ("confirm", InputRequests.AskConfirmation("Please confirm")));
    }
}
