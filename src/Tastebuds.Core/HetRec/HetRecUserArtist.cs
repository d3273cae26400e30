namespace Tastebuds.Core.HetRec;

/// <summary>A row of <c>user_artists.dat</c>: the user's listening count of an artist.</summary>
public readonly record struct HetRecUserArtist(int UserId, int ArtistId, long Weight)
{
    /// <summary>As an artist interaction: the weight is the play count; HetRec has no loves.</summary>
    public Interaction ToInteraction() => new(UserId, ItemKind.Artist, ArtistId, Weight, false);
}
