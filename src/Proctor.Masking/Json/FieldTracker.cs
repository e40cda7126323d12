namespace Proctor.Masking.Json;

/// <summary>
/// Follows a token stream to know which field holds the current value. Arrays pass their field on
/// to their items (<c>"ssns": ["…", "…"]</c>); objects do not pass theirs to their members.
/// </summary>
internal sealed class FieldTracker(Policy.ScopedRules rules, bool atEnvelope)
{
    private readonly Stack<(bool IsArray, FieldContext Context, int PathLength)> _levels = new();
    private readonly List<string>? _path = rules.HasPathRules ? [] : null;
    private FieldContext _property;

    public FieldContext Current =>
        _levels.Count == 0 ? FieldContext.None : _levels.Peek().IsArray ? _levels.Peek().Context : _property;

    public void EnterObject() => _levels.Push((false, FieldContext.None, _path?.Count ?? 0));

    public void EnterArray() => _levels.Push((true, Current, _path?.Count ?? 0));

    public void Leave()
    {
        var level = _levels.Pop();
        if (_path is not null) Truncate(level.PathLength);
    }

    public void SetProperty(ReadOnlySpan<char> name)
    {
        if (_path is not null)
        {
            Truncate(_levels.Peek().PathLength);
            _path.Add(Detection.FieldNames.Normalize(name.ToString()));
        }
        _property = FieldContext.For(name, rules, _path, atEnvelope && _levels.Count == 1);
    }

    private void Truncate(int length)
    {
        if (_path!.Count > length) _path.RemoveRange(length, _path.Count - length);
    }
}
