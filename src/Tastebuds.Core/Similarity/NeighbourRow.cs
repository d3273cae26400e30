namespace Tastebuds.Core.Similarity;

/// <summary>
/// A neighbour as the search keeps it: a 48-byte struct in one array per user and metric (at 100,000 users × 3 metrics
/// × 50 neighbours, objects with nullable fields would cost twice the memory). A per-kind score that did not count is NaN.
/// Read through <see cref="NeighbourSet.RowsOf"/> where every list is visited (the stage's write), so that no
/// <see cref="Neighbour"/> object is made per row.
/// </summary>
public readonly record struct NeighbourRow(
    int User,
    double Score,
    double TrackScore,
    double AlbumScore,
    double ArtistScore,
    int SharedTracks,
    int SharedAlbums,
    int SharedArtists)
{
    internal static NeighbourRow Of(Neighbour n) => new(n.User, n.Score, n.TrackScore ?? double.NaN, n.AlbumScore ?? double.NaN,
        n.ArtistScore ?? double.NaN, n.SharedTracks, n.SharedAlbums, n.SharedArtists);

    public int SharedItems => SharedTracks + SharedAlbums + SharedArtists;

    public Neighbour ToNeighbour() => new(User, Score, Nullable(TrackScore), Nullable(AlbumScore), Nullable(ArtistScore),
        SharedTracks, SharedAlbums, SharedArtists);

    private static double? Nullable(double score) => double.IsNaN(score) ? null : score;
}
