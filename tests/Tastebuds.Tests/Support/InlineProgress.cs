using Tastebuds.Worker.Fetching;

namespace Tastebuds.Tests.Support;

/// <summary>Reports at once, on the runner's own flow (Progress&lt;T&gt; would post it later), so a test acts between two users.</summary>
internal sealed class InlineProgress(Action<FetchProgress> report) : IProgress<FetchProgress>
{
    public void Report(FetchProgress value) => report(value);
}
