namespace Tastebuds.Worker.Database;

/// <summary>An exclusive lock file, so two processes never create or start the same cluster at once.</summary>
internal sealed class StateLock : IAsyncDisposable
{
    private readonly FileStream _stream;

    private StateLock(FileStream stream) => _stream = stream;

    public static async Task<StateLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (true)
        {
            try
            {
                return new StateLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    throw new EmbeddedPostgresException($"Another process held {path} for longer than {timeout}.");
                }
            }
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
