using ModelContextProtocol.Protocol;
using static ModelContextProtocol.Protocol.ElicitRequestParams;

namespace Proctor.Samples.Conformance.Protocol;

/// <summary>Builders for the input requests the SEP-2322 tools and prompts send.</summary>
internal static class InputRequests
{
    public static InputRequiredException Ask(params (string Key, InputRequest Request)[] requests) =>
        new(requests.ToDictionary(request => request.Key, request => request.Request));

    public static InputRequiredException Ask(string requestState, params (string Key, InputRequest Request)[] requests) =>
        new(requests.ToDictionary(request => request.Key, request => request.Request), requestState);

    public static InputRequest AskText(string message, string field) =>
        InputRequest.ForElicitation(new ElicitRequestParams
        {
            Message = message,
            RequestedSchema = new() { Properties = { [field] = new StringSchema() }, Required = [field] },
        });

    public static InputRequest AskConfirmation(string message) =>
        InputRequest.ForElicitation(new ElicitRequestParams
        {
            Message = message,
            RequestedSchema = new() { Properties = { ["ok"] = new BooleanSchema() }, Required = ["ok"] },
        });

    public static InputRequest AskModel(string question, int maxTokens) =>
        InputRequest.ForSampling(new CreateMessageRequestParams
        {
            Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = question }] }],
            MaxTokens = maxTokens,
        });

    public static string Describe(ListRootsResult roots) =>
        string.Join(", ", roots.Roots.Select(root => root.Name is null ? root.Uri : $"{root.Name} ({root.Uri})"));
}
