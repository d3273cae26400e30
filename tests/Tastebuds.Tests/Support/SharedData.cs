using System.Diagnostics;

namespace Tastebuds.Tests.Support;

/// <summary>
/// Finds the HetRec 2011 Last.fm 2K folder, which stays outside the repository (non-commercial research licence).
/// In order: <c>TASTEBUDS_HETREC</c> (the HetRec folder itself), <c>TASTEBUDS_SHARED_DATA</c> (the folder holding
/// <c>hetrec2011-lastfm-2k</c>), else <c>shared/data/hetrec2011-lastfm-2k</c> in a folder above the test binaries,
/// i.e. <c>../shared</c> beside a clone or a worktree.
/// </summary>
public static class SharedData
{
    public const string HetRecVariable = "TASTEBUDS_HETREC";
    public const string SharedDataVariable = "TASTEBUDS_SHARED_DATA";
    public const string HetRecFolderName = "hetrec2011-lastfm-2k";

    private const string WhereToGetIt =
        "Get it from the GroupLens HetRec 2011 page (https://grouplens.org/datasets/hetrec-2011/, "
        + "hetrec2011-lastfm-2k.zip), unzip it into ../shared/data/" + HetRecFolderName + " beside the repository "
        + "or set " + HetRecVariable + " to its folder (README, Data).";

    // Every file a HetRec test reads: the reader tests read the first two, the sandbox loader all five.
    private static readonly string[] Files = ["user_artists.dat", "artists.dat", "user_friends.dat", "tags.dat", "user_taggedartists.dat"];

    private static readonly Lazy<Lookup> HetRec = new(Find);

    /// <summary>
    /// The HetRec folder. Without it the test is ignored with the reason and where to get the data; it fails instead
    /// when <c>CI</c> is set (CI has the data) or when a variable names a folder without it (a mistake, not a choice).
    /// Call it in the test or in <c>[OneTimeSetUp]</c> (which ignores or fails the whole fixture), never in a
    /// <c>[TestCaseSource]</c> method: NUnit reports an exception there as an error, not as a skip.
    /// </summary>
    public static string RequireHetRec()
    {
        var lookup = HetRec.Value;
        if (lookup.Folder is not null)
        {
            return lookup.Folder;
        }

        var reason = $"{lookup.Problem} {WhereToGetIt}";
        if (lookup.Configured)
        {
            Assert.Fail(reason);
        }

        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
        {
            Assert.Fail($"CI is set, so the HetRec tests may not be skipped: {reason}");
        }

        Assert.Ignore(reason);
        throw new UnreachableException("Assert.Ignore throws.");
    }

    private static Lookup Find()
    {
        var hetRec = Environment.GetEnvironmentVariable(HetRecVariable);
        if (!string.IsNullOrEmpty(hetRec))
        {
            return Check(hetRec, $"{HetRecVariable}={hetRec}", configured: true);
        }

        var sharedData = Environment.GetEnvironmentVariable(SharedDataVariable);
        if (!string.IsNullOrEmpty(sharedData))
        {
            return Check(Path.Combine(sharedData, HetRecFolderName), $"{SharedDataVariable}={sharedData}", configured: true);
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", HetRecFolderName);
            if (Directory.Exists(candidate))
            {
                return Check(candidate, "found above the test binaries", configured: false);
            }
        }

        return new Lookup(null, $"The HetRec 2011 Last.fm 2K data is absent: no shared/data/{HetRecFolderName} in any folder "
            + $"above {AppContext.BaseDirectory}, and neither {HetRecVariable} nor {SharedDataVariable} is set.", false);
    }

    private static Lookup Check(string folder, string source, bool configured)
    {
        if (!Directory.Exists(folder))
        {
            return new Lookup(null, $"The HetRec 2011 Last.fm 2K data is absent: {source}, and {folder} is not a folder.", configured);
        }

        var missing = Files.Where(file => !File.Exists(Path.Combine(folder, file))).ToArray();
        return missing.Length == 0
            ? new Lookup(Path.GetFullPath(folder), null, configured)
            : new Lookup(null, $"The HetRec 2011 Last.fm 2K data is absent: {source}, and {folder} has no {string.Join(", ", missing)}.", configured);
    }

    private sealed record Lookup(string? Folder, string? Problem, bool Configured);
}
