using Tastebuds.Core;
using Tastebuds.Core.HetRec;

namespace Tastebuds.Benchmarks;

/// <summary>Loads HetRec from ../shared/data (or TASTEBUDS_SHARED_DATA), never from the repository.</summary>
internal static class DataFiles
{
    public static string HetRec()
    {
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

        throw new DirectoryNotFoundException("Set TASTEBUDS_SHARED_DATA to the shared/data folder.");
    }

    public static IReadOnlyList<Interaction> HetRecInteractions()
    {
        using var reader = new StreamReader(Path.Combine(HetRec(), "user_artists.dat"));
        return HetRecReader.ReadUserArtists(reader).Select(r => r.ToInteraction()).ToList();
    }
}
