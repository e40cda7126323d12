using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Proctor.Notifications.Tests.Infrastructure;

/// <summary>Keeps every line logged, with its event id and level, to assert what an operator would read.</summary>
internal sealed class ListLogger : ILoggerFactory, ILogger
{
    public ConcurrentQueue<(int EventId, LogLevel Level, string Message)> Lines { get; } = new();

    public IEnumerable<(int EventId, LogLevel Level, string Message)> With(int eventId) => Lines.Where(line => line.EventId == eventId);

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Lines.Enqueue((eventId.Id, logLevel, formatter(state, exception)));

    public void Dispose()
    {
    }
}
