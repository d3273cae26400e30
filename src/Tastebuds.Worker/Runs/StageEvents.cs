namespace Tastebuds.Worker.Runs;

/// <summary>
/// What a stage says in its own feature's log messages (stable event ids per feature) when <see cref="StageRun"/>
/// starts it, sees it cancelled or sees it fail; and what its log row says when cancelled.
/// </summary>
public sealed record StageEvents(string CancelledMessage, Action<Guid> Started, Action<Guid> Cancelled, Action<Guid, Exception> Failed);
