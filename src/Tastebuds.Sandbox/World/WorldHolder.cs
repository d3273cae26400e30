namespace Tastebuds.Sandbox.World;

/// The world a running server serves: replaced whole when it advances, so a request sees one week or the next, never half.
internal sealed class WorldHolder(SandboxWorld world)
{
    private readonly Lock _advance = new();
    private SandboxWorld _world = world;

    public SandboxWorld Current => Volatile.Read(ref _world);

    public SandboxWorld Advance(int weeks, double changedFraction, double newUserFraction)
    {
        lock (_advance)
        {
            var next = Current.AdvanceWeeks(weeks, changedFraction, newUserFraction);
            Volatile.Write(ref _world, next);
            return next;
        }
    }
}
