using System.Globalization;
using Tastebuds.Core.Models;

namespace Tastebuds.Core.HetRec;

/// <summary>
/// Reads the HetRec 2011 Last.fm 2K files: tab separated, one header row, CRLF or LF.
/// The caller opens the files (UTF-8 for both files read here).
/// </summary>
public static class HetRecReader
{
    /// <summary><c>user_artists.dat</c>: <c>userID artistID weight</c>.</summary>
    public static IReadOnlyList<HetRecUserArtist> ReadUserArtists(TextReader reader)
    {
        var rows = new List<HetRecUserArtist>();
        foreach (var (line, fields) in Rows(reader, 3))
        {
            rows.Add(new HetRecUserArtist(Int(fields[0], line), Int(fields[1], line),
                long.Parse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    /// <summary><c>artists.dat</c>: <c>id name url pictureURL</c> (the picture may be empty).</summary>
    public static IReadOnlyList<HetRecArtist> ReadArtists(TextReader reader)
    {
        var rows = new List<HetRecArtist>();
        foreach (var (line, fields) in Rows(reader, 3))
        {
            rows.Add(new HetRecArtist(Int(fields[0], line), fields[1], fields[2], fields.Length > 3 ? fields[3] : ""));
        }

        return rows;
    }

    /// <summary><c>user_taggedartists.dat</c>: <c>userID artistID tagID day month year</c> (the date is not kept).</summary>
    public static IReadOnlyList<TagRow> ReadUserTaggedArtists(TextReader reader)
    {
        var rows = new List<TagRow>();
        foreach (var (line, fields) in Rows(reader, 3))
        {
            rows.Add(new TagRow(Int(fields[0], line), Int(fields[1], line), Int(fields[2], line)));
        }

        return rows;
    }

    /// <summary><c>user_friends.dat</c>: <c>userID friendID</c>.</summary>
    public static IReadOnlyList<FriendRow> ReadUserFriends(TextReader reader)
    {
        var rows = new List<FriendRow>();
        foreach (var (line, fields) in Rows(reader, 2))
        {
            rows.Add(new FriendRow(Int(fields[0], line), Int(fields[1], line)));
        }

        return rows;
    }

    private static IEnumerable<(int Line, string[] Fields)> Rows(TextReader reader, int minimumFields)
    {
        ArgumentNullException.ThrowIfNull(reader);
        _ = reader.ReadLine() ?? throw new InvalidDataException("Empty file: the header row is missing.");
        var number = 1;
        while (reader.ReadLine() is { } line)
        {
            number++;
            line = line.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length < minimumFields)
            {
                throw new InvalidDataException($"Line {number}: expected {minimumFields} tab-separated fields, found {fields.Length}.");
            }

            yield return (number, fields);
        }
    }

    private static int Int(string text, int line) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidDataException($"Line {line}: '{text}' is not an integer.");
}
