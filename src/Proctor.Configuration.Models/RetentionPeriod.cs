namespace Proctor.Configuration.Models;

/// <summary>
/// How long event payloads are kept (<c>storage.retention</c>): whole calendar years or whole days, as
/// records policies state them ("seven years"). Calendar years, so "7y" keeps leap days too.
/// </summary>
public sealed record RetentionPeriod(int Amount, RetentionUnit Unit)
{
    /// <summary>Payloads of events before this instant are past retention at <paramref name="now"/>.</summary>
    public DateTimeOffset CutoffAt(DateTimeOffset now) => Unit == RetentionUnit.Years ? now.AddYears(-Amount) : now.AddDays(-Amount);

    /// <summary>As it is written in the configuration file: <c>7y</c>, <c>2555d</c>.</summary>
    public override string ToString() => $"{Amount}{(Unit == RetentionUnit.Years ? 'y' : 'd')}";
}

public enum RetentionUnit
{
    Days,
    Years,
}
