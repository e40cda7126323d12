namespace Proctor.Policy.Building;

/// <summary>Reports problems in fields below one place: a rule (<c>rules[2](id).…</c>) or a named section entry (<c>roles.supervisor.…</c>).</summary>
internal readonly struct FieldReporter(ErrorSink sink, RuleScope? rule, string basePath)
{
    public static FieldReporter ForRule(ErrorSink sink, RuleScope rule) => new(sink, rule, rule.Path);

    public static FieldReporter At(ErrorSink sink, string path) => new(sink, null, path);

    /// <summary>A reporter for the fields below <paramref name="field"/> (<c>subjects</c> → <c>subjects.groups</c>).</summary>
    public FieldReporter Below(string field) => new(sink, rule, basePath) { Prefix = Join(Prefix, field) };

    private string Prefix { get; init; } = "";

    public void Report(string field, string message)
    {
        var full = Join(Prefix, field);
        if (rule is { } scope)
        {
            sink.AddRule(scope, full, message);
        }
        else
        {
            sink.Add(Join(basePath, full), message);
        }
    }

    private static string Join(string parent, string child) =>
        child.Length == 0 ? parent : parent.Length == 0 ? child : child[0] == '[' ? parent + child : parent + "." + child;
}
