namespace Tastebuds.Worker.Database;

/// <summary>Whether this process has applied (or verified) the migrations: readiness waits for it, and so does work that reads the schema.</summary>
public sealed class MigrationState
{
    private readonly TaskCompletionSource _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsApplied => _applied.Task.IsCompletedSuccessfully;

    internal void MarkApplied() => _applied.TrySetResult();

    /// <summary>Completes once the migrator has succeeded; never, if it fails (the host stops then).</summary>
    public Task WaitAsync(CancellationToken ct) => _applied.Task.WaitAsync(ct);
}
