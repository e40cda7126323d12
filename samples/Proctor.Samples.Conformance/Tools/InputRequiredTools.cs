using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Protocol;

namespace Proctor.Samples.Conformance.Tools;

/// <summary>
/// Multi round-trip request tools (SEP-2322) that need one answer. The first call answers with an
/// InputRequiredResult naming the question; the client retries the same call with its answer in
/// <c>inputResponses</c>. A retry without the expected answer is asked again.
/// </summary>
[McpServerToolType]
internal static class InputRequiredTools
{
    [McpServerTool(Name = "test_input_required_result_elicitation")]
    [Description("Asks the user for their name, then greets them.")]
    public static string Elicitation(McpServer server, RequestContext<CallToolRequestParams> context)
    {
        if (InputResponseReader.TryReadElicitation(context.Params.InputResponses, "user_name", out var answer))
        {
            return answer.IsAccepted && InputResponseReader.Field(answer, "name") is { } name
                ? $"Hello, {name}!"
                : $"No name was given (action: {answer.Action}).";
        }

        ClientCapabilityGuard.RequireElicitation(server);
        throw InputRequests.Ask(("user_name", InputRequests.AskText("What is your name?", "name")));
    }

    [McpServerTool(Name = "test_input_required_result_sampling")]
    [Description("Asks the client's model for the capital of France and reports its answer.")]
    public static string Sampling(McpServer server, RequestContext<CallToolRequestParams> context)
    {
        if (InputResponseReader.TryReadSampling(context.Params.InputResponses, "capital_question", out var answer))
        {
            return $"The model answered: {InputResponseReader.Text(answer)}";
        }

        ClientCapabilityGuard.RequireSampling(server);
        throw InputRequests.Ask(("capital_question", InputRequests.AskModel("What is the capital of France?", 100)));
    }

    [McpServerTool(Name = "test_input_required_result_list_roots")]
    [Description("Asks the client for its roots and lists them.")]
    public static string ListRoots(McpServer server, RequestContext<CallToolRequestParams> context)
    {
        if (InputResponseReader.TryReadRoots(context.Params.InputResponses, "client_roots", out var roots))
        {
            return $"The client has {roots.Roots.Count} root(s): {InputRequests.Describe(roots)}";
        }

        ClientCapabilityGuard.RequireRoots(server);
        throw InputRequests.Ask(("client_roots", InputRequest.ForRootsList(new ListRootsRequestParams())));
    }

    [McpServerTool(Name = "test_input_required_result_capabilities")]
    [Description("Asks only through the capabilities the client declared: its model if it declared sampling, its user if it declared elicitation.")]
    public static string Capabilities(McpServer server, RequestContext<CallToolRequestParams> context)
    {
        var responses = context.Params.InputResponses;
        var answers = new List<string>();
        if (InputResponseReader.TryReadSampling(responses, "model_opinion", out var opinion))
        {
            answers.Add($"model: {InputResponseReader.Text(opinion)}");
        }

        if (InputResponseReader.TryReadElicitation(responses, "user_opinion", out var user))
        {
            answers.Add($"user: {InputResponseReader.Field(user, "opinion") ?? user.Action}");
        }

        if (answers.Count > 0)
        {
            return $"Opinions received from {string.Join(", ", answers)}";
        }

        var capabilities = server.ClientCapabilities;
        var requests = new List<(string, InputRequest)>();
        if (capabilities?.Sampling is not null)
        {
            requests.Add(("model_opinion", InputRequests.AskModel("In one word, how is the weather?", 20)));
        }

        if (capabilities?.Elicitation is not null)
        {
            requests.Add(("user_opinion", InputRequests.AskText("In one word, how is the weather?", "opinion")));
        }

        if (requests.Count == 0)
        {
            ClientCapabilityGuard.RequireSampling(server);
        }

        throw InputRequests.Ask([.. requests]);
    }
}
