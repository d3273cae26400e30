using System.Diagnostics;

namespace Tastebuds.Tests.Support;

/// <summary>Polls a condition of a real system (a process, a server, a table) until it holds, or fails the test.</summary>
public static class Eventually
{
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? what = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(30);
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit)
            {
                Assert.Fail($"{what ?? "condition"} not met within {limit.TotalSeconds:0} s");
            }

            await Task.Delay(20);
        }
    }

    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null, string? what = null) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);
}
