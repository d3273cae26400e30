namespace Tastebuds.Core;

/// <summary>The kinds of item a user interacts with; each kind has its own dense item indices.</summary>
public enum ItemKind
{
    Track = 0,
    Album = 1,
    Artist = 2,
}
