namespace Tastebuds.Core.Models;

/// <summary>
/// What a model is fitted on: the interactions (the Worker's loaded matrix, or a holdout's train part), the kind
/// recommended, and optional tags and friends in the matrix's indices.
/// </summary>
public sealed record ModelInput(InteractionMatrix Matrix, ItemKind Kind, SideSignals Side)
{
    public ModelInput(InteractionMatrix matrix, ItemKind kind)
        : this(matrix, kind, SideSignals.None)
    {
    }

    public int UserCount => Matrix.UserCount;

    public int ItemCount => Matrix.ItemCount(Kind);

    /// <summary>The user's items of the kind, ascending: never recommended back.</summary>
    public ReadOnlySpan<int> ItemsOf(int user) => Matrix.ItemsOf(user, Kind);

    /// <summary>Weights <c>w(u,i)</c> aligned with <see cref="ItemsOf"/>.</summary>
    public ReadOnlySpan<double> WeightsOf(int user) => Matrix.WeightsOf(user, Kind);
}
