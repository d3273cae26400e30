namespace Tastebuds.Core;

/// <summary>
/// One input row: a user's plays and love of one item. Ids are the caller's (e.g. database
/// surrogate keys); <see cref="InteractionMatrix"/> maps them to dense indices.
/// </summary>
public readonly record struct Interaction(long UserId, ItemKind Kind, long ItemId, long PlayCount, bool Loved);
