namespace Proctor.Policy.Conditions.Syntax;

/// <summary>A parsed CEL expression. <see cref="Position"/> is the 0-based character offset messages point at.</summary>
internal abstract record CelAst(int Position);

internal sealed record LiteralAst(int Position, CelValue Value) : CelAst(Position);

internal sealed record IdentAst(int Position, string Name) : CelAst(Position);

/// <summary><c>operand.field</c>; <see cref="TestOnly"/> for <c>has(operand.field)</c>.</summary>
internal sealed record SelectAst(int Position, CelAst Operand, string Field, bool TestOnly) : CelAst(Position);

internal sealed record IndexAst(int Position, CelAst Operand, CelAst Index) : CelAst(Position);

/// <summary>A function: global (<c>size(x)</c>, <see cref="Target"/> null) or a method (<c>x.startsWith(y)</c>).</summary>
internal sealed record CallAst(int Position, string Function, CelAst? Target, CelAst[] Arguments) : CelAst(Position);

internal sealed record UnaryAst(int Position, string Operator, CelAst Operand) : CelAst(Position);

internal sealed record BinaryAst(int Position, string Operator, CelAst Left, CelAst Right) : CelAst(Position);

internal sealed record ConditionalAst(int Position, CelAst Condition, CelAst WhenTrue, CelAst WhenFalse) : CelAst(Position);

internal sealed record ListAst(int Position, CelAst[] Items) : CelAst(Position);

internal sealed record MapAst(int Position, CelAst[] Keys, CelAst[] Values) : CelAst(Position);

internal enum MacroKind
{
    All,
    Exists,
    ExistsOne,
    Map,
    Filter,
}

/// <summary>
/// <c>range.all(x, p)</c>, <c>exists</c>, <c>exists_one</c>, <c>map(x, t)</c>, <c>map(x, p, t)</c>,
/// <c>filter(x, p)</c>: the macros, kept as one node each rather than expanded into CEL's general
/// comprehension, so the evaluator can run each as a plain loop.
/// </summary>
internal sealed record ComprehensionAst(int Position, MacroKind Kind, CelAst Range, string Variable, CelAst? Predicate, CelAst? Transform) : CelAst(Position);
