namespace Tastebuds.Core.HetRec;

/// <summary>A row of <c>artists.dat</c>.</summary>
public sealed record HetRecArtist(int Id, string Name, string Url, string PictureUrl);
