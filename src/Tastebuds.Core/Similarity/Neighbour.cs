namespace Tastebuds.Core.Similarity;

/// <summary>
/// A similar user. <see cref="Score"/> is the combined, shrunk score the neighbours are ranked by.
/// A per-kind score is null when that kind did not count (one of the two users has no items of it).
/// </summary>
public sealed record Neighbour(
    int User,
    double Score,
    double? TrackScore,
    double? AlbumScore,
    double? ArtistScore,
    int SharedTracks,
    int SharedAlbums,
    int SharedArtists)
{
    public int SharedItems => SharedTracks + SharedAlbums + SharedArtists;
}
