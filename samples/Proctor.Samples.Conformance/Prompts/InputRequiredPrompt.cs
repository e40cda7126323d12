using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Protocol;

namespace Proctor.Samples.Conformance.Prompts;

/// <summary>An InputRequiredResult is not limited to tools/call: prompts/get may ask too (SEP-2322).</summary>
[McpServerPromptType]
internal static class InputRequiredPrompt
{
    [McpServerPrompt(Name = "test_input_required_result_prompt")]
    [Description("Asks the user which context to use, then builds the prompt around it.")]
    public static PromptMessage Prompt(McpServer server, RequestContext<GetPromptRequestParams> context)
    {
        if (InputResponseReader.TryReadElicitation(context.Params.InputResponses, "user_context", out var answer))
        {
            var userContext = InputResponseReader.Field(answer, "context") ?? "(none given)";
            return new PromptMessage
            {
                Role = Role.User,
                Content = new TextContentBlock { Text = $"Answer the question using this context: {userContext}" },
            };
        }

        ClientCapabilityGuard.RequireElicitation(server);
        throw InputRequests.Ask(("user_context", InputRequests.AskText("What context should the prompt use?", "context")));
    }
}
