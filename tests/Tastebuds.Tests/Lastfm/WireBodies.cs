using System.Globalization;
using System.Text;

namespace Tastebuds.Tests.Lastfm;

/// <summary>Small bodies in Last.fm's shape (numbers as strings, @attr paging) for scripted servers.</summary>
internal static class WireBodies
{
    public const string UserInfo = """{"user":{"name":"RJ","realname":"Richard Jones ","playcount":128549,"registered":{"unixtime":1037793040,"#text":1037793040}}}""";

    /// <summary>A user.getTopArtists page with artists named "Artist {first}" … and the claimed paging.</summary>
    public static string TopArtists(int first, int count, int page, int totalPages)
    {
        var items = new StringBuilder();
        for (var i = first; i < first + count; i++)
        {
            items.Append(CultureInfo.InvariantCulture,
                $$$"""{"name":"Artist {{{i}}}","playcount":"{{{1000 - i}}}","mbid":"","url":"https://www.last.fm/music/A{{{i}}}","streamable":"0","@attr":{"rank":"{{{i}}}"}},""");
        }

        if (items.Length > 0)
        {
            items.Length--;
        }

        return $$$"""{"topartists":{"artist":[{{{items}}}],"@attr":{"user":"RJ","page":"{{{page}}}","perPage":"50","totalPages":"{{{totalPages}}}","total":"999"}""" + "}}";
    }
}
