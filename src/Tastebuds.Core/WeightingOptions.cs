namespace Tastebuds.Core;

/// <summary>
/// Interaction weight: <c>w(u,i) = f(play_count) + LoveBonus * is_loved</c>, with
/// <c>f = ln(1 + x)</c> by default.
/// </summary>
public sealed record WeightingOptions
{
    public double LoveBonus { get; init; } = 1.0;

    public PlayCountTransform Transform { get; init; } = PlayCountTransform.Log;

    public double Weight(long playCount, bool loved)
    {
        var plays = Math.Max(0L, playCount);
        var playPart = Transform switch
        {
            PlayCountTransform.Raw => plays,
            PlayCountTransform.Binary => plays > 0 ? 1.0 : 0.0,
            _ => Math.Log(1.0 + plays),
        };
        return playPart + (loved ? LoveBonus : 0.0);
    }
}
