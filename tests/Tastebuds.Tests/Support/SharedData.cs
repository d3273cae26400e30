namespace Tastebuds.Tests.Support;

/// <summary>
/// Finds <c>../shared/data</c> (data we did not write, never copied into the repository).
/// Walks up from the test binaries so it works from the work tree, a clean clone or a worktree.
/// </summary>
public static class SharedData
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Directory => Root.Value;

    public static string HetRec => Path.Combine(Directory, "hetrec2011-lastfm-2k");

    private static string Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("TASTEBUDS_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (System.IO.Directory.Exists(Path.Combine(candidate, "hetrec2011-lastfm-2k")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "shared/data was not found beside the repository; set TASTEBUDS_SHARED_DATA to its path.");
    }
}
