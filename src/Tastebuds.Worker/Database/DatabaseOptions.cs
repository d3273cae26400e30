using System.ComponentModel.DataAnnotations;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Database;

/// <summary>
/// Settings of the <c>Database</c> section. The connection string itself is <c>ConnectionStrings:Postgres</c>;
/// when it is empty the worker starts a private PostgreSQL described by <see cref="Embedded"/>.
/// </summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    public const string ConnectionStringName = "Postgres";

    /// <summary>Longest wait for the migration advisory lock held by another replica.</summary>
    [TimeSpanRange("00:00:01", "01:00:00")]
    public TimeSpan MigrationLockTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Command timeout for the long statements of the jobs (COPY, swaps).</summary>
    [TimeSpanRange("00:00:01", "06:00:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Connections a result table's new generation is written over at once (<c>user_similarities</c>,
    /// <c>collaborative_recommendations</c>), each COPYing a range of user ids into a partition of its own: the server's
    /// side of a COPY is one core, so 2 on a 2-core server halves the write (docs/benchmarks.md "The generation written
    /// in parts"). 1 writes it over one.
    /// </summary>
    [Range(1, 16, ErrorMessage = Rule.Range)]
    public int WriteConnections { get; set; } = 2;

    /// <summary>
    /// How long a fetch run waits out a database outage (connection refused, server restarting, class 08 errors):
    /// it retries with backoff and spends no Last.fm request meanwhile; past this the run ends failed.
    /// </summary>
    [TimeSpanRange("00:00:00", "01:00:00")]
    public TimeSpan OutageTolerance { get; set; } = TimeSpan.FromMinutes(2);

    public EmbeddedPostgresOptions Embedded { get; set; } = new();
}

/// <summary>The private PostgreSQL started from the machine's binaries when no connection string is set.</summary>
public sealed class EmbeddedPostgresOptions
{
    /// <summary>Cluster folder; empty = <c>$XDG_DATA_HOME/tastebuds/postgres</c> (or <c>~/.local/share/...</c>), or <c>/var/lib/tastebuds/postgres</c> as root.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Folder holding initdb, pg_ctl and postgres; empty = PATH, then /usr/lib/postgresql/*/bin (newest).</summary>
    public string? BinDirectory { get; set; }

    /// <summary>TCP port on 127.0.0.1; 0 = pick a free one when the cluster is created and keep it.</summary>
    [Range(0, 65535, ErrorMessage = Rule.Range)]
    public int Port { get; set; }

    /// <summary>Leave the server running when the worker exits, so the next start is instant.</summary>
    public bool KeepRunning { get; set; }

    /// <summary>Unprivileged account that runs the server when the worker runs as root (PostgreSQL refuses root).</summary>
    public string RunAsUser { get; set; } = "postgres";

    [TimeSpanRange("00:00:05", "00:10:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
