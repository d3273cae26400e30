using Npgsql;
using NpgsqlTypes;
using Tastebuds.Core;

namespace Tastebuds.Worker.Similarity;

/// <summary>
/// Reads every interaction of the active users, three kinds in one binary COPY (one statement, so one snapshot).
/// An album or artist counts as loved when the user loved at least one of its tracks. A track the user marked 'liked'
/// (recommendation_feedback) is one more row, loved with no plays: the matrix merges it with the user's own row of that
/// track, if any, so a liked track counts like a loved one. Read-only: the similarity
/// and recommendation stages and the <c>evaluate --source db</c> verb share it.
/// </summary>
public static class InteractionLoader
{
    internal const string Copy =
        """
        COPY (
            SELECT i.user_id, 0::smallint, i.track_id, i.play_count, i.is_loved
            FROM user_track_interactions i JOIN lastfm_users u ON u.id = i.user_id WHERE u.is_active
            UNION ALL
            SELECT i.user_id, 1::smallint, i.album_id, i.play_count, i.loved_tracks > 0
            FROM user_album_interactions i JOIN lastfm_users u ON u.id = i.user_id WHERE u.is_active
            UNION ALL
            SELECT i.user_id, 2::smallint, i.artist_id, i.play_count, i.loved_tracks > 0
            FROM user_artist_interactions i JOIN lastfm_users u ON u.id = i.user_id WHERE u.is_active
            UNION ALL
            SELECT f.user_id, 0::smallint, f.track_id, 0::bigint, true
            FROM recommendation_feedback f JOIN lastfm_users u ON u.id = f.user_id WHERE u.is_active AND f.kind = 'liked'
        ) TO STDOUT (FORMAT BINARY)
        """;

    /// <summary>
    /// The tracks' rows of <see cref="Copy"/> (liked tracks included), and a marker row (kind −1) for every active user
    /// with album or artist rows: the model stage reads tracks only, and the markers keep every user of the full load in
    /// the matrix, numbered as there (by id), so a user with no track of their own is still served by friends or tags.
    /// The album and artist rows (8 M of 18 M at 100,000 users) are not sent: the client's side of the COPY (its reads and
    /// the matrix's memory) is what bounds the load, not the server's (docs/benchmarks.md "The model stage loads its
    /// tracks only, and the matrix builder's columns").
    /// </summary>
    internal const string TrackCopy =
        """
        COPY (
            SELECT i.user_id, 0::smallint, i.track_id, i.play_count, i.is_loved
            FROM user_track_interactions i JOIN lastfm_users u ON u.id = i.user_id WHERE u.is_active
            UNION ALL
            SELECT f.user_id, 0::smallint, f.track_id, 0::bigint, true
            FROM recommendation_feedback f JOIN lastfm_users u ON u.id = f.user_id WHERE u.is_active AND f.kind = 'liked'
            UNION ALL
            SELECT u.id, -1::smallint, 0::bigint, 0::bigint, false
            FROM lastfm_users u
            WHERE u.is_active AND (EXISTS (SELECT 1 FROM user_album_interactions i WHERE i.user_id = u.id)
                                   OR EXISTS (SELECT 1 FROM user_artist_interactions i WHERE i.user_id = u.id))
        ) TO STDOUT (FORMAT BINARY)
        """;

    /// <summary>The same rows streamed straight into a matrix: no row objects are held (bounded memory at 100k users).</summary>
    /// <param name="maxDegreeOfParallelism">Threads for the matrix's build (its kinds side by side); not positive: one per core.</param>
    public static async Task<(InteractionMatrix Matrix, long Rows)> LoadMatrixAsync(NpgsqlConnection connection, WeightingOptions weighting,
        int maxDegreeOfParallelism, CancellationToken ct)
    {
        var builder = new InteractionMatrixBuilder();
        await ReadAsync(connection, Copy, builder.Add, ct);
        return (builder.Build(weighting, maxDegreeOfParallelism), builder.Rows);
    }

    /// <summary>
    /// The matrix of <see cref="LoadMatrixAsync"/> with its track slice only (<see cref="TrackCopy"/>): the same users,
    /// numbered the same, the same tracks; the album and artist slices are empty. For the model methods, which read tracks.
    /// </summary>
    /// <param name="maxDegreeOfParallelism">Threads for the matrix's build, as for <see cref="LoadMatrixAsync"/>.</param>
    public static async Task<InteractionMatrix> LoadTrackMatrixAsync(NpgsqlConnection connection, WeightingOptions weighting,
        int maxDegreeOfParallelism, CancellationToken ct)
    {
        var builder = new InteractionMatrixBuilder();
        await ReadAsync(connection, TrackCopy, (user, kind, item, plays, loved) =>
        {
            if ((int)kind < 0)
            {
                builder.AddUser(user);
            }
            else
            {
                builder.Add(user, kind, item, plays, loved);
            }
        }, ct);
        return builder.Build(weighting, maxDegreeOfParallelism);
    }

    public static async Task<List<Interaction>> LoadAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var rows = new List<Interaction>();
        await ReadAsync(connection, Copy, (user, kind, item, plays, loved) => rows.Add(new Interaction(user, kind, item, plays, loved)), ct);
        return rows;
    }

    /// <summary>
    /// Every row of the binary COPY handed to <paramref name="add"/> as (user, kind, item, plays, loved). The values are
    /// read synchronously: an awaited call per value (five a row, ~20 M rows at 100,000 users) cost more than the
    /// blocking reads of a buffer that is almost always full (docs/benchmarks.md, "The load phase").
    /// </summary>
    internal static async Task ReadAsync(NpgsqlConnection connection, string copy, Action<long, ItemKind, long, long, bool> add,
        CancellationToken ct)
    {
        await using var reader = await connection.BeginBinaryExportAsync(copy, ct);
        while (reader.StartRow() != -1)
        {
            ct.ThrowIfCancellationRequested();
            var user = reader.Read<long>(NpgsqlDbType.Bigint);
            var kind = (ItemKind)reader.Read<short>(NpgsqlDbType.Smallint);
            var item = reader.Read<long>(NpgsqlDbType.Bigint);
            var plays = reader.Read<long>(NpgsqlDbType.Bigint);
            var loved = reader.Read<bool>(NpgsqlDbType.Boolean);
            add(user, kind, item, plays, loved);
        }
    }
}
