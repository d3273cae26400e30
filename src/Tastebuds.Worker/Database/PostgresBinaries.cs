namespace Tastebuds.Worker.Database;

/// <summary>Where the PostgreSQL server programs are, found once per process.</summary>
public sealed record PostgresBinaries(string Directory)
{
    private static readonly string[] Required = ["initdb", "pg_ctl", "postgres"];

    public string InitDb => Path.Combine(Directory, "initdb");

    public string PgCtl => Path.Combine(Directory, "pg_ctl");

    /// <summary>Finds the binaries in <paramref name="configured"/>, else PATH, else the newest /usr/lib/postgresql/*/bin.</summary>
    public static PostgresBinaries Find(string? configured)
    {
        var searched = new List<string>();
        foreach (var candidate in Candidates(configured))
        {
            searched.Add(candidate);
            if (Required.All(name => File.Exists(Path.Combine(candidate, name))))
            {
                return new PostgresBinaries(candidate);
            }
        }

        throw new EmbeddedPostgresException(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in "
            + string.Join(", ", searched.Distinct()) + ". "
            + "Install them (Debian/Ubuntu: apt-get install postgresql) or point the worker at an existing database "
            + "with ConnectionStrings__Postgres=\"Host=...;Database=...;Username=...;Password=...\".");
    }

    private static IEnumerable<string> Candidates(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // An explicit folder is the only place looked at: a wrong setting must not be papered over.
            yield return Path.GetFullPath(configured);
            yield break;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var pgCtl = Path.Combine(dir, "pg_ctl");
            if (File.Exists(pgCtl))
            {
                // Debian links /usr/local/bin/pg_ctl to the versioned folder; the real folder holds its siblings.
                var target = new FileInfo(pgCtl).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? pgCtl;
                yield return Path.GetDirectoryName(target)!;
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (System.IO.Directory.Exists(debianRoot))
        {
            var versions = System.IO.Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .OrderByDescending(d => d.Version);
            foreach (var (dir, _) in versions)
            {
                yield return Path.Combine(dir, "bin");
            }
        }
    }
}
