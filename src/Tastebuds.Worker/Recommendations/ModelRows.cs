using System.Diagnostics;
using System.Threading.Channels;
using Tastebuds.Core.Models;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// A fitted model's rows, ranked and explained in one pass per user (<see cref="ModelRanking.ExplainedBlocks{T}"/>),
/// produced block by block of <see cref="BlockUsers"/> users on a task of their own into a channel of at most
/// <see cref="BlocksAhead"/> blocks that the COPY drains: ranking and explaining overlap with the write, and only a few
/// blocks' rows are ever held (not every user's list). Disposing stops the producer (a failed or cancelled COPY).
/// </summary>
internal sealed class ModelRows : IAsyncDisposable
{
    private const int BlockUsers = 1024;
    private const int BlocksAhead = 2;

    private readonly Channel<RecommendationRow[][]> _channel =
        Channel.CreateBounded<RecommendationRow[][]>(new BoundedChannelOptions(BlocksAhead) { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop;
    private readonly Stopwatch _computing = new();
    private readonly Task _producer;
    private int _usersServed;

    private ModelRows(ITrainedModel trained, RankingRules rules, IReadOnlyDictionary<string, short> codes, int maxDegreeOfParallelism,
        int blockUsers, CancellationToken ct)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var input = trained.Input;
        var method = trained.Name;
        short Code(string name) => codes.TryGetValue(name, out var code)
            ? code
            : throw new InvalidOperationException($"recommendation_methods has no code for the component '{name}'");
        RecommendationRow[] Map(int user, RankedList ranked)
        {
            if (ranked.Items.Count == 0)
            {
                return [];
            }

            Interlocked.Increment(ref _usersServed);
            var userId = input.Matrix.UserId(user);
            var rows = new RecommendationRow[ranked.Items.Count];
            for (var i = 0; i < rows.Length; i++)
            {
                var r = ranked.Items[i];
                var reasons = Reasons.Of(ranked.Reasons[i], input, Code);
                rows[i] = new RecommendationRow(userId, input.Matrix.ItemId(input.Kind, r.Item), method, r.Score, r.Rank, reasons.Supporting, 0,
                    reasons);
            }

            return rows;
        }

        var token = _stop.Token;
        var blocks = ModelRanking.ExplainedBlocks(trained, rules.Count, blockUsers, Map, token, rules.GroupOfItem, rules.MaxPerGroup,
            maxDegreeOfParallelism, rules.Excluded);
        _producer = Task.Run(() => ProduceAsync(blocks, token), token);
    }

    /// <summary>Wall time the producer spent ranking and explaining (the stage's compute, overlapping the write).</summary>
    public TimeSpan Computing => _computing.Elapsed;

    /// <summary>Users given at least one row so far.</summary>
    public int UsersServed => Volatile.Read(ref _usersServed);

    /// <param name="blockUsers">Users ranked per block (tests make it small to stop a stream in its middle).</param>
    public static ModelRows Start(ITrainedModel trained, RankingRules rules, IReadOnlyDictionary<string, short> codes, int maxDegreeOfParallelism,
        CancellationToken ct, int blockUsers = BlockUsers) => new(trained, rules, codes, maxDegreeOfParallelism, blockUsers, ct);

    /// <summary>Every row, block after block as the producer hands them on; throws what the producer threw.</summary>
    public async IAsyncEnumerable<RecommendationRow> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var block in _channel.Reader.ReadAllAsync(ct))
        {
            foreach (var rows in block)
            {
                foreach (var row in rows)
                {
                    yield return row;
                }
            }
        }

        await _producer;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // Stopped because the COPY failed or the run was cancelled (that error is the one reported), or failed itself
        // (its exception reached the reader through the channel): either way nothing to throw here.
        await Task.WhenAny(_producer);
        _ = _producer.Exception;
        _stop.Dispose();
    }

    private async Task ProduceAsync(IEnumerable<RecommendationRow[][]> blocks, CancellationToken ct)
    {
        try
        {
            using var next = blocks.GetEnumerator();
            while (true)
            {
                _computing.Start();
                var more = next.MoveNext();
                _computing.Stop();
                if (!more)
                {
                    break;
                }

                await _channel.Writer.WriteAsync(next.Current, ct);
            }

            _channel.Writer.Complete();
        }
        catch (Exception e)
        {
            _computing.Stop();
            // Parallel.For wraps a model's exception: the run log shows the model's own.
            _channel.Writer.TryComplete(e is AggregateException { InnerExceptions.Count: 1 } one ? one.InnerExceptions[0] : e);
            throw;
        }
    }
}

/// <summary>What a top list must keep: its length, at most <see cref="MaxPerGroup"/> items per artist, no rejected track.</summary>
internal sealed record RankingRules(int Count, long[]? GroupOfItem, int MaxPerGroup, IReadOnlyDictionary<int, int[]>? Excluded);
