using System.Text;
using Proctor.Mcp.Sessions.Replay;

namespace Proctor.Mcp.Tests.Sessions.Replay;

public sealed class SessionEventLogTests
{
    private static readonly SessionReplayLimits Roomy = new(100, 1 << 20);

    private static ReadOnlyMemory<byte> Data(string text) => Encoding.UTF8.GetBytes(text);

    private static string[] Texts(ReplayLookup lookup) => [.. lookup.Missed.Select(e => Encoding.UTF8.GetString(e.Data.Span))];

    [Fact]
    public void After_AnEventOfTheStream_ReturnsWhatFollowedInOrder()
    {
        var log = new SessionEventLog(Roomy);
        var stream = log.Open(standalone: false);
        var first = log.Append(stream, Data("a"));
        log.Append(stream, Data("b"));
        var third = log.Append(stream, Data("c"));

        var lookup = log.After(first);

        Assert.Equal(ReplayStatus.Found, lookup.Status);
        Assert.Equal(["b", "c"], Texts(lookup));
        Assert.Equal(third, lookup.Missed[^1].Id);
    }

    [Fact]
    public void After_PrimingMark_ReturnsEverythingTheStreamSent()
    {
        var log = new SessionEventLog(Roomy);
        var stream = log.Open(standalone: false);
        var priming = log.Mark(stream);
        log.Append(stream, Data("a"));
        log.Append(stream, Data("b"));

        Assert.Equal(["a", "b"], Texts(log.After(priming)));
    }

    [Fact]
    public void After_TheLastEvent_FoundWithNothingMissed()
    {
        var log = new SessionEventLog(Roomy);
        var stream = log.Open(standalone: false);
        var last = log.Append(stream, Data("a"));

        var lookup = log.After(last);

        Assert.Equal(ReplayStatus.Found, lookup.Status);
        Assert.Empty(lookup.Missed);
    }

    [Fact]
    public void After_InterleavedStreams_ReplaysOnlyTheNamedStream()
    {
        // Streamable HTTP: the server MUST NOT replay messages that would have been delivered on a different stream.
        var log = new SessionEventLog(Roomy);
        var one = log.Open(standalone: false);
        var two = log.Open(standalone: true);
        var start = log.Mark(one);
        log.Append(one, Data("1a"));
        log.Append(two, Data("2a"));
        log.Append(one, Data("1b"));
        log.Append(two, Data("2b"));

        Assert.Equal(["1a", "1b"], Texts(log.After(start)));
    }

    [Fact]
    public void After_AnotherSessionsId_NotIssued()
    {
        var mine = new SessionEventLog(Roomy);
        var theirs = new SessionEventLog(Roomy);
        var myStream = mine.Open(standalone: false);
        var theirStream = theirs.Open(standalone: false);
        mine.Mark(myStream);
        theirs.Mark(theirStream);
        var foreign = new[] { theirs.Append(theirStream, Data("theirs")), theirs.Append(theirStream, Data("theirs too")) };
        mine.Append(myStream, Data("mine"));
        mine.Append(myStream, Data("mine too"));

        // Same stream and event numbers as ids this session issued: only the log number tells them apart.
        foreach (var id in foreign)
        {
            var lookup = mine.After(id);
            Assert.Equal(ReplayStatus.NotIssued, lookup.Status);
            Assert.Empty(lookup.Missed);
        }
    }

    [Fact]
    public void After_NumbersThisLogNeverIssued_NotIssued()
    {
        var log = new SessionEventLog(Roomy);
        var stream = log.Open(standalone: false);
        var issued = log.Append(stream, Data("a"));
        Assert.True(EventIds.TryParse(issued, out var tag, out _, out var number));

        foreach (var id in new[] { EventIds.Format(tag, stream, number + 1), EventIds.Format(tag, stream, 0), EventIds.Format(tag, stream + 1, number), EventIds.Format(tag, 0, number), EventIds.Format(tag, int.MaxValue, long.MaxValue) })
        {
            Assert.Equal(ReplayStatus.NotIssued, log.After(id).Status);
        }

        Assert.Equal(ReplayStatus.Found, log.After(issued).Status); // the hard negative
    }

    [Theory]
    [MemberData(nameof(EventIdsTests.Malformed), MemberType = typeof(EventIdsTests))]
    public void After_MalformedId_NotIssuedWithoutThrowing(string text)
    {
        var log = new SessionEventLog(Roomy);
        log.Append(log.Open(standalone: false), Data("a"));

        Assert.Equal(ReplayStatus.NotIssued, log.After(text).Status);
    }

    [Fact]
    public void Append_PastTheEventBound_DropsTheOldestAndAResumeThatNeedsItIsGone()
    {
        var log = new SessionEventLog(new SessionReplayLimits(3, 1 << 20));
        var stream = log.Open(standalone: false);
        var ids = Enumerable.Range(0, 5).Select(i => log.Append(stream, Data($"e{i}"))).ToArray();

        Assert.Equal(3, log.HeldEvents);
        Assert.Equal(ReplayStatus.Gone, log.After(ids[0]).Status); // e1 was dropped
        Assert.Equal(["e2", "e3", "e4"], Texts(log.After(ids[1])));
        Assert.Equal(["e4"], Texts(log.After(ids[3])));
    }

    [Fact]
    public void Append_RandomSizes_NeverHoldsMoreThanEitherBoundAndNeverSkipsSilently()
    {
        var random = new Random(2027);
        var limits = new SessionReplayLimits(20, 4096);
        var log = new SessionEventLog(limits);
        var streams = new[] { log.Open(standalone: false), log.Open(standalone: false), log.Open(standalone: true) };
        var sent = streams.ToDictionary(s => s, _ => new List<(string Id, string Text)>());
        for (var i = 0; i < 2_000; i++)
        {
            var stream = streams[random.Next(streams.Length)];
            var text = new string((char)('a' + (i % 26)), random.Next(1, 1_200));
            sent[stream].Add((log.Append(stream, Data(text)), text));

            Assert.InRange(log.HeldEvents, 0, limits.MaxEvents);
            Assert.InRange(log.HeldBytes, 0, limits.MaxBytes);
        }

        // Every resume either replays exactly what followed on its stream, or says it cannot.
        foreach (var (stream, events) in sent)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var lookup = log.After(events[i].Id);
                if (lookup.Status == ReplayStatus.Found)
                {
                    Assert.Equal(events.Skip(i + 1).Select(e => e.Text), Texts(lookup));
                }
                else
                {
                    Assert.Equal(ReplayStatus.Gone, lookup.Status);
                }
            }

            Assert.Equal(ReplayStatus.Found, log.After(events[^1].Id).Status);
        }
    }

    [Fact]
    public void Append_EventLargerThanTheByteBound_DeliveredButAResumeBeforeItIsGone()
    {
        var log = new SessionEventLog(new SessionReplayLimits(100, 1024));
        var stream = log.Open(standalone: false);
        var before = log.Append(stream, Data("small"));
        var huge = log.Append(stream, Data(new string('x', 2048)));
        log.Append(stream, Data("after"));

        Assert.NotNull(huge);
        Assert.Equal(ReplayStatus.Gone, log.After(before).Status);
        Assert.Equal(["after"], Texts(log.After(huge)));
        Assert.True(log.HeldBytes <= 1024);
    }

    [Fact]
    public void Append_NoEventsKept_EveryResumeIsGone()
    {
        var log = new SessionEventLog(new SessionReplayLimits(0, 1024));
        var stream = log.Open(standalone: false);
        var priming = log.Mark(stream);
        var first = log.Append(stream, Data("a"));
        log.Append(stream, Data("b"));

        Assert.Equal(0, log.HeldEvents);
        Assert.Equal(ReplayStatus.Gone, log.After(priming).Status);
        Assert.Equal(ReplayStatus.Gone, log.After(first).Status);
    }

    [Fact]
    public void End_MoreEndedStreamsThanTheBound_OldestForgottenAndItsIdsGoneNotUnknown()
    {
        var log = new SessionEventLog(new SessionReplayLimits(2, 1 << 20));
        var firsts = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var stream = log.Open(standalone: false);
            firsts.Add(log.Mark(stream));
            log.End(stream, completed: true);
        }

        Assert.Equal(ReplayStatus.Gone, log.After(firsts[0]).Status);
        Assert.Equal(ReplayStatus.Found, log.After(firsts[^1]).Status);
    }

    [Fact]
    public void After_CompletedStream_SaysSoSoTheReplayIsAllThereIs()
    {
        var log = new SessionEventLog(Roomy);
        var stream = log.Open(standalone: false);
        var priming = log.Mark(stream);
        log.Append(stream, Data("answer"));
        log.End(stream, completed: true);

        var lookup = log.After(priming);

        Assert.True(lookup.Completed);
        Assert.False(lookup.Standalone);
        Assert.Equal(["answer"], Texts(lookup));
    }
}
