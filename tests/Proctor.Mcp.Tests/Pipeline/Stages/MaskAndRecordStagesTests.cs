using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tests.Upstreams;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Pipeline.Stages;

/// <summary>
/// Mask → Record → Forward composed as the host composes them, with a masker that replaces one known
/// value and a recorder that keeps what it commits (and can be made to fail).
/// </summary>
public sealed class MaskAndRecordStagesTests
{
    private const string Ssn = WordMasker.Ssn;

    private readonly WordMasker _masker = new();
    private readonly ListRecorder _recorder = new();

    [Fact]
    public async Task Call_RecordsTheMaskedRequestBeforeForwarding_AndTheUpstreamGetsTheRealArguments()
    {
        var recordedBeforeForward = -1;
        var upstream = new ScriptedUpstream("bank", (request, _, _) =>
        {
            recordedBeforeForward = _recorder.Records.Count;
            return Task.FromResult(JsonRpc.Result(request["id"], Json.Object("{'content':[{'type':'text','text':'ok'}]}")));
        });
        var context = Calls.Context(upstream, SearchFor(Ssn));

        await Pipeline().RunAsync(context, CancellationToken.None);

        Assert.Equal(1, recordedBeforeForward);
        Assert.Contains(Ssn, upstream.Requests.Single().ToJsonString());
        var request = _recorder.Records.First();
        Assert.Equal(CallRecordKind.Request, request.Kind);
        Assert.DoesNotContain(Ssn, request.Payload!.ToJsonString());
        Assert.Equal(1, request.MaskedCounts["ssn"]);
    }

    [Fact]
    public async Task Call_MaskerHandedOverItsBytes_RecorderGetsExactlyThoseBytesForRequestAndResponse()
    {
        var context = Calls.Context(Answering($"customer ssn {Ssn}"), SearchFor(Ssn));

        await Pipeline().RunAsync(context, CancellationToken.None);

        // What the ledger stores is what the masker wrote, not a second serialization of the masked message.
        foreach (var record in _recorder.Records.Where(r => r.Kind is CallRecordKind.Request or CallRecordKind.Response))
        {
            var stored = System.Text.Encoding.UTF8.GetString(record.PayloadUtf8!.Value.Span);
            Assert.Equal(record.Payload!.ToJsonString(), stored);
            Assert.DoesNotContain(Ssn, stored);
            Assert.Contains("[SSN]", stored);
        }
    }

    [Fact]
    public async Task Call_ResponseWithSensitiveValue_ClientAndLedgerBothGetTheMaskedCopy()
    {
        var context = Calls.Context(Answering($"customer ssn {Ssn}"), SearchFor("smith"));

        await Pipeline().RunAsync(context, CancellationToken.None);

        Assert.DoesNotContain(Ssn, context.Response!.ToJsonString());
        Assert.Contains("[SSN]", context.Response.ToJsonString());
        var response = _recorder.Records.Last();
        Assert.Equal(CallRecordKind.Response, response.Kind);
        Assert.Equal(context.CallId, response.CallId);
        Assert.DoesNotContain(Ssn, response.Payload!.ToJsonString());
    }

    [Fact]
    public async Task Call_CallerInARevealedGroup_SeesTheValue_WhileTheLedgerStillStoresItMasked()
    {
        var investigator = Calls.Alice with { Groups = [WordMasker.RevealedGroup] };
        var context = Calls.Context(Answering($"customer ssn {Ssn}"), SearchFor("smith"), caller: investigator);

        await Pipeline().RunAsync(context, CancellationToken.None);

        Assert.Contains(Ssn, context.Response!.ToJsonString());
        Assert.All(_recorder.Records, r => Assert.DoesNotContain(Ssn, r.Payload?.ToJsonString() ?? ""));
    }

    [Fact]
    public async Task Call_NotificationDuringTheCall_IsMaskedAndRecordedBeforeTheClientGetsIt()
    {
        var sink = new CollectingSink(_recorder);
        var upstream = new ScriptedUpstream("bank", async (request, callSink, ct) =>
        {
            await callSink.OnNotificationAsync(JsonRpc.Notification("notifications/message", Json.Object($"{{'level':'info','data':'found {Ssn}'}}")), ct);
            return JsonRpc.Result(request["id"], Json.Object("{'content':[]}"));
        });
        var context = Calls.Context(upstream, SearchFor("smith"), sink: sink);

        await Pipeline().RunAsync(context, CancellationToken.None);

        var (delivered, recordsBeforeDelivery) = Assert.Single(sink.Delivered);
        Assert.DoesNotContain(Ssn, delivered.ToJsonString());
        Assert.Equal(2, recordsBeforeDelivery); // the request, then this notification
        Assert.Equal(CallRecordKind.Notification, _recorder.Records.ElementAt(1).Kind);
    }

    [Fact]
    public async Task Call_ClientsAnswerToAServerRequest_IsRecordedMaskedBeforeTheUpstreamGetsIt()
    {
        var sink = new AnsweringSink(_recorder, JsonRpc.Result(null, Json.Object($"{{'action':'accept','content':{{'ssn':'{Ssn}'}}}}")));
        JsonObject? answerUpstream = null;
        var recordsBeforeUpstreamGotIt = -1;
        var upstream = new ScriptedUpstream("bank", async (request, callSink, ct) =>
        {
            answerUpstream = await callSink.OnServerRequestAsync(JsonRpc.Request("srv-1", "elicitation/create", Json.Object("{'message':'Your SSN?'}")), ct);
            recordsBeforeUpstreamGotIt = _recorder.Records.Count;
            return JsonRpc.Result(request["id"], Json.Object("{'content':[]}"));
        });

        await Pipeline().RunAsync(Calls.Context(upstream, SearchFor("smith"), sink: sink), CancellationToken.None);

        Assert.Equal(3, recordsBeforeUpstreamGotIt); // the request, the server request, then the client's answer
        var answer = _recorder.Records.ElementAt(2);
        Assert.Equal(CallRecordKind.ClientAnswer, answer.Kind);
        Assert.DoesNotContain(Ssn, answer.Payload!.ToJsonString());
        Assert.Equal(Ssn, (string?)answerUpstream!["result"]!["content"]!["ssn"]); // the upstream needs the real answer
    }

    [Fact]
    public async Task Call_LedgerCannotCommitTheClientsAnswer_TheUpstreamGetsAnErrorInstead()
    {
        var sink = new AnsweringSink(_recorder, JsonRpc.Result(null, Json.Object($"{{'action':'accept','content':{{'ssn':'{Ssn}'}}}}")));
        Exception? failure = null;
        var upstream = new ScriptedUpstream("bank", async (request, callSink, ct) =>
        {
            _recorder.FailAfter = _recorder.Records.Count + 1; // the server request is recorded, the answer is not
            failure = await Record.ExceptionAsync(() => callSink.OnServerRequestAsync(JsonRpc.Request("srv-1", "elicitation/create", new JsonObject()), ct));
            return JsonRpc.Result(request["id"], Json.Object("{'content':[]}"));
        });

        await Pipeline().RunAsync(Calls.Context(upstream, SearchFor("smith"), sink: sink), CancellationToken.None);

        Assert.Equal(ReasonCodes.LedgerUnavailable, Assert.IsType<CallRefusedException>(failure).ReasonCode); // SessionUpstream answers the upstream with an error
        Assert.DoesNotContain(_recorder.Records, r => r.Kind == CallRecordKind.ClientAnswer);
    }

    [Fact]
    public async Task Call_LedgerCannotCommitTheRequest_IsRefusedAndNeverForwarded()
    {
        _recorder.Failing = true;
        var upstream = Answering("never");
        var context = Calls.Context(upstream, SearchFor(Ssn));

        await Pipeline().RunAsync(context, CancellationToken.None);

        Assert.Empty(upstream.Requests);
        Assert.Equal(ReasonCodes.LedgerUnavailable, context.Refusal?.ReasonCode);
        Assert.Contains("disk is full", context.Response!["error"]!["message"]!.ToString());
        Assert.Contains("not forwarded", context.Response["error"]!["message"]!.ToString());
    }

    [Fact]
    public async Task Call_LedgerCannotCommitTheResponse_TheResponseIsWithheld()
    {
        var upstream = new ScriptedUpstream("bank", (request, _, _) =>
        {
            _recorder.Failing = true;
            return Task.FromResult(JsonRpc.Result(request["id"], Json.Object("{'content':[{'type':'text','text':'balance 100'}]}")));
        });
        var context = Calls.Context(upstream, SearchFor("smith"));

        await Pipeline().RunAsync(context, CancellationToken.None);

        Assert.Single(upstream.Requests);
        Assert.Equal(ReasonCodes.LedgerUnavailable, context.Refusal?.ReasonCode);
        Assert.DoesNotContain("balance", context.Response!.ToJsonString());
    }

    [Fact]
    public async Task Call_MaskingFails_TheResponseIsWithheldAndNothingUnmaskedIsRecorded()
    {
        var context = Calls.Context(Answering($"{WordMasker.Poison} {Ssn}"), SearchFor("smith"));

        await Pipeline().RunAsync(context, CancellationToken.None);

        Assert.Equal(ReasonCodes.MaskingFailed, context.Refusal?.ReasonCode);
        Assert.DoesNotContain(Ssn, context.Response!.ToJsonString());
        Assert.All(_recorder.Records, r => Assert.DoesNotContain(Ssn, r.Payload?.ToJsonString() ?? ""));
        Assert.Contains("budget exceeded", context.Response["error"]!["message"]!.ToString());
    }

    [Fact]
    public async Task Call_MaskingTheRequestFails_TheRefusalIsRecordedWithoutTheArgumentsAndNothingIsForwarded()
    {
        var upstream = Answering("never");
        var context = Calls.Context(upstream, SearchFor($"{WordMasker.Poison} {Ssn}"));
        var pipeline = new CallPipeline([new RecordRefusalsStage(_recorder, _masker, NullLogger<RecordRefusalsStage>.Instance), new MaskStage(_masker), new RecordStage(_recorder), new ForwardStage()],
            NullLogger<CallPipeline>.Instance);

        await pipeline.RunAsync(context, CancellationToken.None);

        Assert.Empty(upstream.Requests);
        var refused = Assert.Single(_recorder.Records);
        Assert.Equal(CallRecordKind.Refused, refused.Kind);
        Assert.Equal(ReasonCodes.MaskingFailed, (string?)refused.Payload!["error"]!["data"]!["reason"]);
        Assert.DoesNotContain(Ssn, refused.Payload.ToJsonString());
    }

    [Fact]
    public async Task Call_TargetHoldingASensitiveValue_IsRecordedMasked_TheUpstreamGetsItAsSent()
    {
        var upstream = Answering("ok");
        var context = Calls.Context(upstream, Json.Object($"{{'jsonrpc':'2.0','id':7,'method':'resources/read','params':{{'uri':'customer://{Ssn}/profile'}}}}"));

        await Pipeline().RunAsync(context, CancellationToken.None);

        Assert.Contains(Ssn, upstream.Requests.Single().ToJsonString());
        Assert.Equal("customer://[SSN]/profile", context.RecordedTarget);
        Assert.Equal(2, _recorder.Records.Count);
        Assert.All(_recorder.Records, r => Assert.Equal("customer://[SSN]/profile", r.Target));
    }

    /// <summary>Names a JSON writer escapes (quotes, backslashes, HTML-sensitive and non-ASCII characters, controls), with and without the masked value.</summary>
    private static readonly string[] ToolNames =
    [
        "search", "say \"hi\"", "back\\slash", "<b>&amp;</b>+'", "café ∑ 🦀", "tab\tnew\nline\u0001", "",
        $"lookup-{Ssn}", $"\"{Ssn}\" <{Ssn}>", $"🦀{Ssn}\u0001",
    ];

    public static TheoryData<string> Targets
    {
        get
        {
            var targets = new TheoryData<string>();
            foreach (var name in ToolNames)
            {
                targets.Add(name);
            }
            return targets;
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Call_AnyToolName_IsRecordedAsTheMaskedMessageHoldsIt(string tool)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 7, ["method"] = "tools/call", ["params"] = new JsonObject { ["name"] = tool, ["arguments"] = new JsonObject() } };
        var context = Calls.Context(Answering("ok"), request);

        await Pipeline().RunAsync(context, CancellationToken.None);

        var expected = tool.Replace(Ssn, "[SSN]", StringComparison.Ordinal);
        Assert.Equal(expected, context.RecordedTarget);
        Assert.Equal(expected, _masker.Mask(new JsonObject { ["target"] = tool }, default, null).Message["target"]?.ToString());
        Assert.All(_recorder.Records, r => Assert.Equal(expected, r.Target));
    }

    [Fact]
    public async Task Calls_ToEveryToolNameTwice_AreRecordedMaskedEachTime_AndOnlyNamesMaskingKeepsSkipASecondPass()
    {
        // Tool names masking leaves alone are remembered per server; names it changes, and resource URIs, are masked on
        // every call. What is recorded never depends on which of the two happened.
        var counting = new TargetCountingMasker(_masker);
        var pipeline = new CallPipeline([new MaskStage(counting), new RecordStage(_recorder), new ForwardStage()], NullLogger<CallPipeline>.Instance);
        var calls = from name in ToolNames
                    from server in new[] { "bank", "cards" }
                    from method in new[] { "tools/call", "resources/read" }
                    select (name, server, method);

        foreach (var (name, server, method) in calls)
        {
            var expected = name.Replace(Ssn, "[SSN]", StringComparison.Ordinal);
            var before = counting.TargetPasses;
            for (var call = 0; call < 2; call++)
            {
                var parameters = method == "tools/call" ? new JsonObject { ["name"] = name, ["arguments"] = new JsonObject() } : new JsonObject { ["uri"] = name };
                var context = Calls.Context(new ScriptedUpstream(server, (request, _, _) => Task.FromResult(JsonRpc.Result(request["id"], new JsonObject()))),
                    new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 7, ["method"] = method, ["params"] = parameters });

                await pipeline.RunAsync(context, CancellationToken.None);

                Assert.Equal(expected, context.RecordedTarget);
                Assert.All(_recorder.Records.TakeLast(2), r => Assert.Equal(expected, r.Target));
            }

            var remembered = method == "tools/call" && expected == name;
            Assert.True(counting.TargetPasses - before == (remembered ? 1 : 2), $"{method} '{name}' on {server}: {counting.TargetPasses - before} masking passes of the target");
        }
    }

    [Fact]
    public async Task Calls_ToMoreToolNamesThanAreRemembered_AreStillRecordedMasked_AndTheFirstNameIsMaskedAgain()
    {
        // A caller naming made-up tools fills the remembered names up to their bound (4,096), and the set is cleared:
        // memory stays bounded, the first name is masked once more, and no call is recorded differently.
        var counting = new TargetCountingMasker(_masker);
        var pipeline = new CallPipeline([new MaskStage(counting), new RecordStage(_recorder), new ForwardStage()], NullLogger<CallPipeline>.Instance);
        var names = Enumerable.Range(0, 4_097).Select(n => $"tool-{n}").Append("tool-0").Append($"tool-{Ssn}").Append($"tool-{Ssn}");

        foreach (var name in names)
        {
            var context = Calls.Context(Answering("ok"), new JsonObject
            {
                ["jsonrpc"] = "2.0", ["id"] = 7, ["method"] = "tools/call", ["params"] = new JsonObject { ["name"] = name, ["arguments"] = new JsonObject() },
            });

            await pipeline.RunAsync(context, CancellationToken.None);

            Assert.Equal(name.Replace(Ssn, "[SSN]", StringComparison.Ordinal), context.RecordedTarget);
        }

        Assert.Equal(4_097 + 1 + 2, counting.TargetPasses);
    }

    [Fact]
    public async Task Call_RefusedBeforeMask_TheRefusalRecordsTheMaskedTarget()
    {
        var upstream = Answering("never");
        var context = Calls.Context(upstream, Json.Object($"{{'jsonrpc':'2.0','id':7,'method':'prompts/get','params':{{'name':'summary-{Ssn}'}}}}"), caller: Calls.Alice with { Subject = "" });
        var pipeline = new CallPipeline([new RecordRefusalsStage(_recorder, _masker, NullLogger<RecordRefusalsStage>.Instance), new AuthenticateStage(), new MaskStage(_masker), new RecordStage(_recorder), new ForwardStage()],
            NullLogger<CallPipeline>.Instance);

        await pipeline.RunAsync(context, CancellationToken.None);

        var refused = Assert.Single(_recorder.Records);
        Assert.Equal(CallRecordKind.Refused, refused.Kind);
        Assert.Equal("summary-[SSN]", refused.Target);
    }

    [Fact]
    public async Task Call_TargetThatCannotBeMasked_IsRefused_AndTheRefusalNamesNoTarget()
    {
        var upstream = Answering("never");
        var context = Calls.Context(upstream, Json.Object($"{{'jsonrpc':'2.0','id':7,'method':'resources/read','params':{{'uri':'file:///{WordMasker.Poison}/{Ssn}'}}}}"));
        var pipeline = new CallPipeline([new RecordRefusalsStage(_recorder, _masker, NullLogger<RecordRefusalsStage>.Instance), new MaskStage(_masker), new RecordStage(_recorder), new ForwardStage()],
            NullLogger<CallPipeline>.Instance);

        await pipeline.RunAsync(context, CancellationToken.None);

        Assert.Empty(upstream.Requests);
        var refused = Assert.Single(_recorder.Records);
        Assert.Equal(ReasonCodes.MaskingFailed, context.Refusal?.ReasonCode);
        Assert.Null(refused.Target);
    }

    [Fact]
    public async Task Call_RecordWithoutMask_FailsClosedInsteadOfStoringRawData()
    {
        var upstream = Answering(Ssn);
        var context = Calls.Context(upstream, SearchFor(Ssn));

        await new CallPipeline([new RecordStage(_recorder), new ForwardStage()], NullLogger<CallPipeline>.Instance).RunAsync(context, CancellationToken.None);

        Assert.Empty(upstream.Requests);
        Assert.Empty(_recorder.Records);
        Assert.Equal(ReasonCodes.Fault, context.Refusal?.ReasonCode);
    }

    [Fact]
    public async Task Call_ClientCancels_TheCancellationIsRecorded()
    {
        using var cancel = new CancellationTokenSource();
        var upstream = new ScriptedUpstream("bank", async (_, _, ct) =>
        {
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Pipeline().RunAsync(Calls.Context(upstream, SearchFor("smith")), cancel.Token));

        Assert.Equal([CallRecordKind.Request, CallRecordKind.Cancelled], _recorder.Records.Select(r => r.Kind));
    }

    [Fact]
    public async Task Call_CallerAlreadyGone_RequestAndCancellationAreRecordedAsAPair()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        var upstream = Answering("never");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Pipeline().RunAsync(Calls.Context(upstream, SearchFor("smith")), cancel.Token));

        Assert.Empty(upstream.Requests);
        Assert.Equal([CallRecordKind.Request, CallRecordKind.Cancelled], _recorder.Records.Select(r => r.Kind));
    }

    private CallPipeline Pipeline() =>
        new([new MaskStage(_masker), new RecordStage(_recorder), new ForwardStage()], NullLogger<CallPipeline>.Instance);

    private static JsonObject SearchFor(string query) =>
        Json.Object($"{{'jsonrpc':'2.0','id':7,'method':'tools/call','params':{{'name':'search','arguments':{{'query':'{query}'}}}}}}");

    private static ScriptedUpstream Answering(string text) =>
        new("bank", (request, _, _) => Task.FromResult(JsonRpc.Result(request["id"], new JsonObject
        {
            ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = text }),
        })));

    /// <summary>The masker it wraps, counting the passes over a call's target (the only messages with a <c>target</c> member).</summary>
    private sealed class TargetCountingMasker(IPayloadMasker inner) : IPayloadMasker
    {
        private int _targetPasses;

        public int TargetPasses => _targetPasses;

        public MaskedPayload Mask(JsonObject message, MaskingScope scope, IReadOnlyList<string>? revealTo)
        {
            if (message.ContainsKey("target"))
            {
                Interlocked.Increment(ref _targetPasses);
            }
            return inner.Mask(message, scope, revealTo);
        }

        public bool RevealsAnythingTo(IReadOnlyList<string> groups) => inner.RevealsAnythingTo(groups);

        public JsonNode? AdjustOutputSchema(JsonNode schema, MaskingScope scope) => inner.AdjustOutputSchema(schema, scope);
    }

    private sealed class ListRecorder : ICallRecorder
    {
        public ConcurrentQueue<CallRecord> Records { get; } = new();

        public bool Failing { get; set; }

        /// <summary>When set, commits fail once this many records are held.</summary>
        public int? FailAfter { get; set; }

        public ValueTask RecordAsync(CallRecord record, CancellationToken cancellationToken)
        {
            if (Failing || Records.Count >= FailAfter)
            {
                throw new RecordingFailedException("the disk is full");
            }

            Records.Enqueue(record);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A client that answers every server request the same way.</summary>
    private sealed class AnsweringSink(ListRecorder recorder, JsonObject answer) : IUpstreamCallSink
    {
        public JsonObject ClientCapabilities { get; } = new();

        public ValueTask OnNotificationAsync(JsonObject notification, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public Task<JsonObject> OnServerRequestAsync(JsonObject request, CancellationToken cancellationToken)
        {
            Assert.Equal(2, recorder.Records.Count); // the server request was recorded before the client saw it
            return Task.FromResult(answer.DeepClone().AsObject());
        }
    }

    private sealed class CollectingSink(ListRecorder recorder) : IUpstreamCallSink
    {
        public List<(JsonObject Message, int RecordsBefore)> Delivered { get; } = [];

        public JsonObject ClientCapabilities { get; } = new();

        public ValueTask OnNotificationAsync(JsonObject notification, CancellationToken cancellationToken)
        {
            Delivered.Add((notification, recorder.Records.Count));
            return ValueTask.CompletedTask;
        }

        public Task<JsonObject> OnServerRequestAsync(JsonObject request, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }
}
