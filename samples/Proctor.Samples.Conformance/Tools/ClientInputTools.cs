using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Conformance.Protocol;
using static ModelContextProtocol.Protocol.ElicitRequestParams;

namespace Proctor.Samples.Conformance.Tools;

/// <summary>
/// Tools that need an answer from the client (its model, or its user) before they can finish.
/// They ask through an InputRequiredResult, which serves both protocol eras from one code path:
/// a 2026-07-28 client answers it natively (SEP-2322) and retries the call, while for an
/// initialize-era session the SDK turns it into the matching sampling/createMessage or
/// elicitation/create request on the session and retries the tool with the answer.
/// </summary>
[McpServerToolType]
internal static class ClientInputTools
{
    private const string AnswerKey = "answer";

    [McpServerTool(Name = "test_sampling")]
    [Description("Asks the client's model to respond to a prompt (sampling) and returns its response.")]
    public static string Sampling(
        McpServer server,
        RequestContext<CallToolRequestParams> context,
        [Description("The prompt to send to the model")] string prompt)
    {
        if (InputResponseReader.TryReadSampling(context.Params.InputResponses, AnswerKey, out var answer))
        {
            return $"LLM response: {InputResponseReader.Text(answer)}";
        }

        ClientCapabilityGuard.RequireSampling(server);
        throw InputRequests.Ask((AnswerKey, InputRequests.AskModel(prompt, 100)));
    }

    [McpServerTool(Name = "test_elicitation")]
    [Description("Asks the user for a username and email address (elicitation) and returns the answer.")]
    public static string Elicitation(
        McpServer server,
        RequestContext<CallToolRequestParams> context,
        [Description("The message to show the user")] string message)
    {
        if (InputResponseReader.TryReadElicitation(context.Params.InputResponses, AnswerKey, out var answer))
        {
            return $"User response: action={answer.Action}, content={Describe(answer)}";
        }

        ClientCapabilityGuard.RequireElicitation(server);
        throw InputRequests.Ask((AnswerKey, InputRequest.ForElicitation(new ElicitRequestParams
        {
            Message = message,
            RequestedSchema = new()
            {
                Properties =
                {
                    ["username"] = new StringSchema { Description = "User's response" },
                    ["email"] = new StringSchema { Description = "User's email address", Format = "email" },
                },
                Required = ["username", "email"],
            },
        })));
    }

    [McpServerTool(Name = "test_elicitation_sep1034_defaults")]
    [Description("Elicits a form whose string, integer, number, enum and boolean fields carry default values (SEP-1034).")]
    public static string ElicitationWithDefaults(McpServer server, RequestContext<CallToolRequestParams> context)
    {
        if (InputResponseReader.TryReadElicitation(context.Params.InputResponses, AnswerKey, out var answer))
        {
            return $"Elicitation completed: action={answer.Action}, content={Describe(answer)}";
        }

        ClientCapabilityGuard.RequireElicitation(server);
        throw InputRequests.Ask((AnswerKey, InputRequest.ForElicitation(new ElicitRequestParams
        {
            Message = "Please review and update the form fields with defaults",
            RequestedSchema = new()
            {
                Properties =
                {
                    ["name"] = new StringSchema { Description = "User name", Default = "John Doe" },
                    ["age"] = new NumberSchema { Type = "integer", Description = "User age", Default = 30 },
                    ["score"] = new NumberSchema { Type = "number", Description = "User score", Default = 95.5 },
                    ["status"] = new UntitledSingleSelectEnumSchema
                    {
                        Description = "User status",
                        Enum = ["active", "inactive", "pending"],
                        Default = "active",
                    },
                    ["verified"] = new BooleanSchema { Description = "Verification status", Default = true },
                },
            },
        })));
    }

    [McpServerTool(Name = "test_elicitation_sep1330_enums")]
    [Description("Elicits a form using every enum schema variant: untitled, titled and legacy single-select, untitled and titled multi-select (SEP-1330).")]
    public static string ElicitationWithEnums(McpServer server, RequestContext<CallToolRequestParams> context)
    {
        if (InputResponseReader.TryReadElicitation(context.Params.InputResponses, AnswerKey, out var answer))
        {
            return $"Elicitation completed: action={answer.Action}, content={Describe(answer)}";
        }

        ClientCapabilityGuard.RequireElicitation(server);
        throw InputRequests.Ask((AnswerKey, InputRequest.ForElicitation(new ElicitRequestParams
        {
            Message = "Please select options from the enum fields",
            RequestedSchema = new()
            {
                Properties =
                {
                    ["untitledSingle"] = new UntitledSingleSelectEnumSchema
                    {
                        Description = "Untitled single-select",
                        Enum = ["option1", "option2", "option3"],
                    },
                    ["titledSingle"] = new TitledSingleSelectEnumSchema
                    {
                        Description = "Titled single-select",
                        OneOf = Options(("value1", "First Option"), ("value2", "Second Option"), ("value3", "Third Option")),
                    },
#pragma warning disable MCP9001 // SEP-1330 keeps the deprecated enumNames form, and this scenario checks it is still sent.
                    ["legacyEnum"] = new LegacyTitledEnumSchema
                    {
                        Description = "Legacy titled enum (enumNames is deprecated)",
                        Enum = ["opt1", "opt2", "opt3"],
                        EnumNames = ["Option One", "Option Two", "Option Three"],
                    },
#pragma warning restore MCP9001
                    ["untitledMulti"] = new UntitledMultiSelectEnumSchema
                    {
                        Description = "Untitled multi-select",
                        Items = new UntitledEnumItemsSchema { Enum = ["option1", "option2", "option3"] },
                    },
                    ["titledMulti"] = new TitledMultiSelectEnumSchema
                    {
                        Description = "Titled multi-select",
                        Items = new TitledEnumItemsSchema
                        {
                            AnyOf = Options(("value1", "First Choice"), ("value2", "Second Choice"), ("value3", "Third Choice")),
                        },
                    },
                },
            },
        })));
    }

    private static List<EnumSchemaOption> Options(params (string Value, string Title)[] options) =>
        [.. options.Select(option => new EnumSchemaOption { Const = option.Value, Title = option.Title })];

    private static string Describe(ElicitResult answer) =>
        answer.Content is null ? "{}" : JsonSerializer.Serialize(answer.Content);
}
