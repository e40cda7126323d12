namespace Proctor.Samples.Bank;

/// <summary>Settings of the sample bank (<c>proctor sample bank-server [--seed N] [--customers N]</c>).</summary>
public sealed record BankServerOptions
{
    public const int DefaultSeed = 42;
    public const int DefaultCustomerCount = 200;
    public const int MaxCustomerCount = 100_000;

    /// <summary>Seeds the synthetic data: the same seed always yields the same customers.</summary>
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>How many customers (each with one checking account) to generate, 1 to <see cref="MaxCustomerCount"/>.</summary>
    public int CustomerCount { get; init; } = DefaultCustomerCount;
}
