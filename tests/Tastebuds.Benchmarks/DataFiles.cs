using Tastebuds.Core;
using Tastebuds.Core.HetRec;

namespace Tastebuds.Benchmarks;

/// <summary>
/// Loads HetRec from TASTEBUDS_HETREC (the folder itself), TASTEBUDS_SHARED_DATA or ../shared/data, never from the
/// repository; the same search as the tests' SharedData.
/// </summary>
internal static class DataFiles
{
    public static string HetRec()
    {
        var hetRec = Environment.GetEnvironmentVariable("TASTEBUDS_HETREC");
        if (!string.IsNullOrEmpty(hetRec))
        {
            return hetRec;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable("TASTEBUDS_SHARED_DATA");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Path.Combine(fromEnvironment, "hetrec2011-lastfm-2k");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "hetrec2011-lastfm-2k");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            "HetRec 2011 Last.fm 2K was not found: put it in ../shared/data/hetrec2011-lastfm-2k or set TASTEBUDS_HETREC to its folder (README, Data).");
    }

    public static IReadOnlyList<Interaction> HetRecInteractions()
    {
        using var reader = new StreamReader(Path.Combine(HetRec(), "user_artists.dat"));
        return HetRecReader.ReadUserArtists(reader).Select(r => r.ToInteraction()).ToList();
    }
}
