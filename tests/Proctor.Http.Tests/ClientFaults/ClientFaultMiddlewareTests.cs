using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Proctor.Http.ClientFaults;

namespace Proctor.Http.Tests.ClientFaults;

public sealed class ClientFaultMiddlewareTests
{
    public static TheoryData<Exception, int, bool> ClientFaults => new()
    {
        { new BadHttpRequestException("Reading the request body timed out due to data arriving too slowly. See MinRequestBodyDataRate.", StatusCodes.Status408RequestTimeout), 408, false },
        { new BadHttpRequestException("Unexpected end of request content.", StatusCodes.Status400BadRequest), 400, false },
        { new IOException("The client reset the request stream."), 400, true },
        { new OperationCanceledException("The request was aborted."), 400, true },
    };

    [Theory]
    [MemberData(nameof(ClientFaults))]
    public async Task Invoke_ClientFaultFlood_OneShortWarningNoStackTraceAndACleanStatus(Exception fault, int status, bool aborted)
    {
        var log = new ListLogger();
        var middleware = new ClientFaultMiddleware(_ => throw fault, new LogThrottle(new FakeTimeProvider(), TimeSpan.FromMinutes(1)), log);
        var contexts = Enumerable.Range(0, 100).Select(_ => Context(aborted)).ToList();

        foreach (var context in contexts)
        {
            await middleware.InvokeAsync(context);
        }

        Assert.All(contexts, context => Assert.Equal(status, context.Response.StatusCode));
        var warning = Assert.Single(log.Entries, e => e.Level == LogLevel.Warning);
        Assert.Equal(2420, warning.EventId);
        Assert.Equal(99, log.Entries.Count(e => e.Level == LogLevel.Debug));
        Assert.All(log.Entries, e => Assert.Null(e.Exception));
        Assert.True(warning.Message.Length < 200, warning.Message);
    }

    [Fact]
    public async Task Invoke_CancellationWhileTheClientIsStillThere_IsTheGatewaysErrorAndPropagates()
    {
        var middleware = new ClientFaultMiddleware(_ => throw new OperationCanceledException(), new LogThrottle(new FakeTimeProvider(), TimeSpan.FromMinutes(1)), new ListLogger());

        await Assert.ThrowsAsync<OperationCanceledException>(() => middleware.InvokeAsync(Context(aborted: false)));
    }

    [Fact]
    public async Task Invoke_GatewayBug_IsNotMistakenForAClientFault()
    {
        var middleware = new ClientFaultMiddleware(_ => throw new InvalidOperationException("a bug"), new LogThrottle(new FakeTimeProvider(), TimeSpan.FromMinutes(1)), new ListLogger());

        await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.InvokeAsync(Context(aborted: true)));
    }

    private static DefaultHttpContext Context(bool aborted)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/mcp";
        context.RequestAborted = aborted ? new CancellationToken(canceled: true) : CancellationToken.None;
        return context;
    }

    private sealed class ListLogger : ILogger<ClientFaultMiddleware>
    {
        public List<(LogLevel Level, int EventId, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, eventId.Id, formatter(state, exception), exception));
    }
}
