namespace Proctor.Masking.Json;

/// <summary>
/// Follows a token stream to know which field holds the current value. Arrays pass their field on
/// to their items (<c>"ssns": ["…", "…"]</c>); objects do not pass theirs to their members.
/// <paramref name="root"/> is the context of the whole document: none for a message, the outer field's
/// for JSON nested in a string (<c>"ssn": "[123456789]"</c>), exactly as if it were not wrapped.
/// </summary>
internal sealed class FieldTracker(Policy.ScopedRules rules, FieldContext root, bool atEnvelope)
{
    // A stack per message would be three per call (its target, its request and its answer, each masked): a tracker
    // takes its thread's spare and gives it back when done (Release). Masking never awaits, so a tracker stays on its
    // thread, and a nested document's tracker finds no spare while the outer one holds it.
    [ThreadStatic]
    private static Stack<(bool IsArray, FieldContext Context, int PathLength, int Start)>? t_spareLevels;

    private readonly Stack<(bool IsArray, FieldContext Context, int PathLength, int Start)> _levels = TakeSpareLevels();
    private readonly List<string>? _path = rules.HasPathRules ? [] : null;
    private FieldContext _property;

    /// <summary>The field holding the next value; kept up to date here because every value asks for it.</summary>
    public FieldContext Current { get; private set; } = root;

    /// <summary>
    /// True when the current property's context depends on its name alone (no path rules, not a
    /// JSON-RPC envelope member), so a context worked out for the same name before can be reused.
    /// </summary>
    public bool ContextDependsOnNameOnly => _path is null && !(atEnvelope && _levels.Count == 1);

    /// <summary>The context of the property just named.</summary>
    public FieldContext Property => _property;

    /// <summary>
    /// The context the current object's member names are read in: the field holding the object
    /// (<c>"ssns": {"514241098": …}</c>), without its rule.
    /// </summary>
    public FieldContext Names => _levels.Peek().Context.ForNames;

    /// <summary>Where the current object starts in the input, as given to <see cref="EnterObject"/>.</summary>
    public int ObjectStart => _levels.Peek().Start;

    /// <param name="start">Where the object starts in the input (the streaming path reads its member names from there).</param>
    public void EnterObject(int start = 0)
    {
        // An object level keeps its holder's context for its member names; only array levels pass it to values (Leave).
        _levels.Push((false, Current, _path?.Count ?? 0, start));
        Current = FieldContext.None;
    }

    public void EnterArray() => _levels.Push((true, Current, _path?.Count ?? 0, 0));

    public void Leave()
    {
        var level = _levels.Pop();
        if (_path is not null)
        {
            Truncate(level.PathLength);
        }

        Current = _levels.TryPeek(out var outer) && outer.IsArray ? outer.Context : _levels.Count == 0 ? FieldContext.None : _property;
    }

    public void SetProperty(ReadOnlySpan<char> name)
    {
        if (_path is not null)
        {
            Truncate(_levels.Peek().PathLength);
            _path.Add(Detection.FieldNames.Normalize(name));
        }
        Current = _property = FieldContext.For(name, rules, _path, atEnvelope && _levels.Count == 1);
    }

    /// <summary>Sets a property whose context is already known; only when <see cref="ContextDependsOnNameOnly"/>.</summary>
    public void SetProperty(FieldContext context) => Current = _property = context;

    private void Truncate(int length)
    {
        if (_path!.Count > length)
        {
            _path.RemoveRange(length, _path.Count - length);
        }
    }

    /// <summary>Gives the levels back to the thread for the next tracker; this tracker MUST NOT be used afterwards.</summary>
    public void Release()
    {
        _levels.Clear();
        t_spareLevels = _levels;
    }

    private static Stack<(bool IsArray, FieldContext Context, int PathLength, int Start)> TakeSpareLevels()
    {
        var spare = t_spareLevels;
        t_spareLevels = null;
        return spare ?? new();
    }
}
