using System.Diagnostics;

namespace Tastebuds.Tests.Support;

/// <summary>Polls a condition of a real system (a process, a server, a table) until it holds, or fails the test.</summary>
public static class Eventually
{
    public static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? what = null) =>
        WaitUntilAsync(condition, timeout, () => what ?? "condition");

    /// <summary>As above; <paramref name="what"/> is asked for only on failure (e.g. to show a process's output by then).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout, Func<string> what)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"{what()} not met within {limit.TotalSeconds:0} s");
            }

            await Task.Delay(20);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);
}
