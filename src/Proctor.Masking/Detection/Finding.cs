namespace Proctor.Masking.Detection;

/// <summary>A detected value: where it is in the scanned text and which entity type it is.</summary>
internal readonly record struct Finding(int Start, int Length, string EntityType)
{
    public int End => Start + Length;
}
