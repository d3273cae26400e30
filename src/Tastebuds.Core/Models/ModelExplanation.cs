using System.Globalization;

namespace Tastebuds.Core.Models;

/// <summary>
/// Why a model recommends an item, as data (ids and numbers) that a writer can store compactly and a reader can
/// turn into a sentence with <see cref="ToText"/>.
/// </summary>
public sealed record ModelExplanation(string Method, IReadOnlyList<Evidence> Evidence)
{
    public static ModelExplanation Empty(string method) => new(method, []);

    /// <param name="nameOf">Names an item, user or tag id (the <see cref="Evidence.Kind"/> says which).</param>
    public string ToText(Func<EvidenceKind, int, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(nameOf);
        var c = CultureInfo.InvariantCulture;
        var parts = Evidence.Select(e => e.Kind switch
        {
            EvidenceKind.Item => string.Create(c, $"because you play {nameOf(e.Kind, e.Id)} (similarity {e.Weight:0.00})"),
            EvidenceKind.Neighbour => string.Create(c, $"{nameOf(e.Kind, e.Id)} (similarity {e.Weight:0.00}) plays it"),
            EvidenceKind.Friend => string.Create(c, $"your friend {nameOf(e.Kind, e.Id)} plays it"),
            EvidenceKind.Tag => string.Create(c, $"tagged {nameOf(e.Kind, e.Id)} like what you play"),
            _ => string.Create(c, $"{e.Component} {e.Contribution:P0}"),
        });
        return string.Join("; ", parts);
    }
}

/// <summary>
/// One reason: an item the user plays (with the item-item similarity or, for ALS, the history item's weight), a
/// neighbour or friend holding the item, a shared tag, or a hybrid component's share of the score.
/// <see cref="Contribution"/> is the part of the score it explains (a share in 0..1 for components).
/// </summary>
public readonly record struct Evidence(EvidenceKind Kind, int Id, double Weight, double Contribution, string? Component = null);

public enum EvidenceKind
{
    Item = 0,
    Neighbour = 1,
    Friend = 2,
    Tag = 3,
    Component = 4,
}
