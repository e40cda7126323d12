using Proctor.Policy.Conditions.Checking;
using Proctor.Policy.Conditions.Evaluation;
using Proctor.Policy.Decisions;
using Proctor.Policy.Rules;

namespace Proctor.Policy.Conditions;

/// <summary>
/// A rule's condition, compiled once when the policy loads. <see cref="ReadsArgs"/> says whether the
/// call's arguments can change its result: a condition that does not read them is decided from the
/// caller and the target alone, also when a list is filtered.
/// </summary>
internal sealed class CelCondition(string source, CelNode root, bool readsArgs, int slots, IReadOnlyList<ArgumentPath> argumentPaths)
{
    private static readonly CelValue NoArguments = CelValue.Map(new CelMap([], []));

    public string Source { get; } = source;

    public bool ReadsArgs { get; } = readsArgs;

    public IReadOnlyList<ArgumentPath> ArgumentPaths { get; } = argumentPaths;

    /// <summary>
    /// The condition's value for <paramref name="request"/>. An exception while reading the
    /// arguments (a JSON object with a duplicated key throws when read) becomes an error value:
    /// the rule's outcome is then a condition error, which denies.
    /// </summary>
    public CelValue Evaluate(in PolicyRequest request, RoleBook roles, int budget)
    {
        EvalContext? context = null;
        try
        {
            var args = request.Arguments is null ? NoArguments : CelValue.FromJson(request.Arguments);
            context = EvalContext.For(request, args, slots, budget, roles);
            return root.Eval(context);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            return CelValue.Error($"the call's arguments could not be read: {e.Message}");
        }
        finally
        {
            context?.Clear();
        }
    }
}
