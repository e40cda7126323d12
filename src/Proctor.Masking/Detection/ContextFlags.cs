namespace Proctor.Masking.Detection;

/// <summary>What the words near a value, or the JSON field holding it, say the value is.</summary>
[Flags]
internal enum ContextFlags
{
    None = 0,
    Routing = 1,
    Account = 2,
    Ssn = 4,
    Itin = 8,
    Phone = 16,
    Birth = 32,
    Secret = 64,
    Card = 128,
    Version = 256,
    Ein = 512,
}
