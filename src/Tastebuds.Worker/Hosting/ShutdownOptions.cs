using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Hosting;

/// <summary>Settings of the <c>Shutdown</c> section.</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Shutdown";

    /// <summary>
    /// On SIGTERM no new user is started; the user in flight may finish within this time, else its
    /// transaction rolls back (its previous data kept). The host's own shutdown timeout is this plus 15 s.
    /// </summary>
    [TimeSpanRange("00:00:01", "00:10:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromSeconds(30);
}
