using Tastebuds.Worker.Fetching;

namespace Tastebuds.Worker.Runs;

/// <summary>Runs <paramref name="fetch"/> with a way to show its progress (a terminal's progress bar), or none.</summary>
public delegate Task<FetchRunResult> FetchDisplay(Func<IProgress<FetchProgress>?, Task<FetchRunResult>> fetch);
