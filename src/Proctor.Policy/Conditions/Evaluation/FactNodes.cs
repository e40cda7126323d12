namespace Proctor.Policy.Conditions.Evaluation;

/// <summary>The fields of <c>caller</c> a condition may read (docs/policy.md, "CEL reference").</summary>
internal enum CallerField
{
    Subject,
    Issuer,
    Method,
    AgentKey,
    Groups,
    Roles,
    Scopes,
    Amr,
    Acr,
    Mfa,
    AuthAge,
}

internal enum TargetField
{
    Server,
    Kind,
    Name,
    Tool,
}

internal sealed class CallerFieldNode(CallerField field, bool testOnly) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var value = Read(context);
        return testOnly ? CelValue.Bool(value.Kind != CelKind.Null) : value;
    }

    private CelValue Read(EvalContext context)
    {
        var caller = context.Caller;
        return field switch
        {
            CallerField.Subject => CelValue.String(caller.Subject),
            CallerField.Issuer => Text(caller.Issuer),
            CallerField.Method => CelValue.String(caller.Method),
            CallerField.AgentKey => Text(caller.AgentKey),
            CallerField.Groups => caller.GroupsValue,
            CallerField.Roles => context.CallerRoles(),
            CallerField.Scopes => caller.ScopesValue,
            CallerField.Amr => caller.AmrValue,
            CallerField.Acr => Text(caller.AuthenticationContext),
            CallerField.Mfa => CelValue.Bool(caller.UsedMultipleFactors),
            _ => caller.AuthenticationAgeSeconds(context.At) is { } seconds ? CelValue.Int(seconds) : CelValue.Null,
        };
    }

    private static CelValue Text(string? value) => value is null ? CelValue.Null : CelValue.String(value);
}

internal sealed class TargetFieldNode(TargetField field, bool testOnly) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var target = context.Target;
        var value = field switch
        {
            TargetField.Server => CelValue.String(target.Server),
            TargetField.Kind => CelValue.String(target.KindName),
            TargetField.Name => CelValue.String(target.Name),
            _ => target.Kind == Decisions.TargetKind.Tool ? CelValue.String(target.Name) : CelValue.Null,
        };
        return testOnly ? CelValue.Bool(value.Kind != CelKind.Null) : value;
    }
}
