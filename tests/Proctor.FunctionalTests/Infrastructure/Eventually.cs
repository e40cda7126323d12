namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>Waits, bounded, for something another task or process does; fails with the caller's expression when it never happens.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(condition))] string expression = "")
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Still false after {timeout.TotalSeconds:0.#} s: {expression}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>The same, for a condition that must itself wait (an HTTP request to the gateway).</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(condition))] string expression = "")
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Still false after {timeout.TotalSeconds:0.#} s: {expression}");
            }

            await Task.Delay(50);
        }
    }
}
