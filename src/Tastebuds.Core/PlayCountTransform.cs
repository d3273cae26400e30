namespace Tastebuds.Core;

/// <summary>How a play count becomes the play part of an interaction weight.</summary>
public enum PlayCountTransform
{
    /// <summary><c>ln(1 + play_count)</c> (the default).</summary>
    Log = 0,

    /// <summary>The raw play count.</summary>
    Raw = 1,

    /// <summary>1 when the item was played at all, else 0.</summary>
    Binary = 2,
}
