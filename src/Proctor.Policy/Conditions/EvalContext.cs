using Proctor.Policy.Decisions;
using Proctor.Policy.Rules;

namespace Proctor.Policy.Conditions;

/// <summary>The cost limit of one condition's evaluation.</summary>
internal static class CelBudget
{
    /// <summary>
    /// Units one condition may spend: one per comprehension step, list or map element built or
    /// compared, and per <see cref="CharactersPerUnit"/> characters a string function reads or
    /// builds. Conditions in docs/policy.md spend under 100; the budget bounds a runaway
    /// (nested macros over a large argument list) at about 1 ms of CPU (PERFORMANCE.md, Policy).
    /// </summary>
    public const int Default = 100_000;

    public const int CharactersPerUnit = 64;
}

/// <summary>
/// What a condition reads while it runs: the call's arguments, the caller, the target, the time,
/// comprehension variables, and the remaining budget. One instance per thread, reset per
/// evaluation, so a decision allocates none.
/// </summary>
internal sealed class EvalContext
{
    [ThreadStatic]
    private static EvalContext? _current;

    private int _budget;

    public CelValue[] Slots { get; private set; } = new CelValue[8];

    public CelValue Args { get; private set; }

    public PolicyCaller Caller { get; private set; } = PolicyCaller.Anonymous;

    public PolicyTarget Target { get; private set; }

    public DateTimeOffset At { get; private set; }

    private RoleBook _roles = RoleBook.Empty;
    private CelValue? _callerRoles;

    public static EvalContext For(in PolicyRequest request, CelValue args, int slots, int budget, RoleBook roles)
    {
        var context = _current ??= new EvalContext();
        context._roles = roles;
        context._callerRoles = null;
        context.Args = args;
        context.Caller = request.Caller;
        context.Target = request.Target;
        context.At = request.At;
        context._budget = budget;
        if (context.Slots.Length < slots)
        {
            context.Slots = new CelValue[Math.Max(slots, context.Slots.Length * 2)];
        }

        return context;
    }

    /// <summary><c>caller.roles</c>: the host's roles and the policy's roles the caller holds, worked out when first read.</summary>
    public CelValue CallerRoles() => _callerRoles ??= _roles.RolesOf(Caller);

    /// <summary>Takes <paramref name="units"/> from the budget; false once it is exhausted.</summary>
    public bool Spend(int units)
    {
        _budget -= units;
        return _budget >= 0;
    }

    public CelValue OverBudget() => CelValue.Error("the condition exceeded its evaluation budget (a loop over too large a value); it is treated as an error");

    /// <summary>Drops references to the call's values so the thread does not keep them alive.</summary>
    public void Clear()
    {
        Args = default;
        Caller = PolicyCaller.Anonymous;
        _callerRoles = null;
        Array.Clear(Slots);
    }
}
