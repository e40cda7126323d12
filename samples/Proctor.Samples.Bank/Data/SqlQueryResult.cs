namespace Proctor.Samples.Bank.Data;

internal sealed record SqlQueryResult(
    IReadOnlyList<string> Columns,
    IReadOnlyList<Dictionary<string, object?>> Rows,
    bool Truncated)
{
    public int RowCount => Rows.Count;
}
