using System.Globalization;
using Dapper;
using Tastebuds.Tests.Support;

namespace Tastebuds.Tests.Fetching;

/// <summary>What a fetch left in the database, as sorted lines of names and values (no ids, no timestamps of our own).</summary>
internal static class DatabaseDump
{
    public static async Task<List<string>> TracksAsync(TestDatabase db) => await LinesAsync(db,
        """
        SELECT u.username, a.name, t.name, i.play_count, i.is_loved, i.loved_at, i.rank, i.period,
               array_to_string(ARRAY(SELECT x FROM unnest(i.tags) x ORDER BY x), ',')
        FROM user_track_interactions i
        JOIN lastfm_users u ON u.id = i.user_id JOIN tracks t ON t.id = i.track_id JOIN artists a ON a.id = t.artist_id
        """);

    public static async Task<List<string>> AlbumsAsync(TestDatabase db) => await LinesAsync(db,
        """
        SELECT u.username, a.name, al.name, i.play_count, i.loved_tracks, i.rank, i.period,
               array_to_string(ARRAY(SELECT x FROM unnest(i.tags) x ORDER BY x), ',')
        FROM user_album_interactions i
        JOIN lastfm_users u ON u.id = i.user_id JOIN albums al ON al.id = i.album_id JOIN artists a ON a.id = al.artist_id
        """);

    public static async Task<List<string>> ArtistsAsync(TestDatabase db) => await LinesAsync(db,
        """
        SELECT u.username, a.name, i.play_count, i.loved_tracks, i.rank, i.period,
               array_to_string(ARRAY(SELECT x FROM unnest(i.tags) x ORDER BY x), ',')
        FROM user_artist_interactions i
        JOIN lastfm_users u ON u.id = i.user_id JOIN artists a ON a.id = i.artist_id
        """);

    public static async Task<List<string>> UsersAsync(TestDatabase db) => await LinesAsync(db,
        "SELECT username, real_name, country, total_playcount, registered_at, profile_url, is_active FROM lastfm_users");

    public static async Task<List<string>> CatalogAsync(TestDatabase db) => await LinesAsync(db,
        """
        SELECT 'artist', name, '', mbid, url FROM artists
        UNION ALL SELECT 'album', a.name, al.name, al.mbid, al.url FROM albums al JOIN artists a ON a.id = al.artist_id
        UNION ALL SELECT 'track', a.name, t.name, t.mbid, t.url FROM tracks t JOIN artists a ON a.id = t.artist_id
        """);

    public static async Task<List<string>> EverythingAsync(TestDatabase db) =>
    [
        .. await UsersAsync(db), .. await CatalogAsync(db), .. await TracksAsync(db), .. await AlbumsAsync(db), .. await ArtistsAsync(db),
    ];

    /// <summary>The tables a fetch writes, every column of every row (ids and our own timestamps included), as JSON lines.</summary>
    public static readonly string[] FetchTables =
    [
        "lastfm_users", "artists", "albums", "tracks", "user_track_interactions", "user_album_interactions", "user_artist_interactions",
        "user_personal_tags", "user_friends",
    ];

    /// <summary>
    /// Every row of the tables a fetch writes, whole, except the columns named in <paramref name="except"/>: two dumps
    /// are equal when no row was inserted, deleted or changed in any other column.
    /// </summary>
    public static async Task<List<string>> RowsAsync(TestDatabase db, params string[] except)
    {
        var lines = new List<string>();
        foreach (var table in FetchTables)
        {
            var removed = string.Concat(except.Select(c => $" - '{c}'"));
            lines.AddRange((await LinesAsync(db, $"SELECT '{table}', (to_jsonb(t){removed})::text FROM {table} t")).Select(l => l));
        }

        return lines;
    }

    private static async Task<List<string>> LinesAsync(TestDatabase db, string sql)
    {
        await using var connection = await db.DataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            var values = new string[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? "∅" : Convert.ToString(reader.GetValue(i) is DateTime d ? d.ToString("O", CultureInfo.InvariantCulture) : reader.GetValue(i), CultureInfo.InvariantCulture)!;
            }

            lines.Add(string.Join(" | ", values));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
