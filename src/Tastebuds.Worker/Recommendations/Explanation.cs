using System.Buffers;
using System.Text;
using System.Text.Json;
using Tastebuds.Core;
using Tastebuds.Core.Recommendations;

namespace Tastebuds.Worker.Recommendations;

/// <summary>
/// The <c>explanation</c> jsonb of a recommendation:
/// <c>{"metric", "supporting_neighbours", "evidence", "popularity", "neighbours": [{"username", "similarity",
/// "play_count", "loved", "contribution"}]}</c>, where score = evidence + popularity and the contributions of all
/// supporting neighbours add up to the evidence (the top ones are listed, largest first).
/// </summary>
internal static class Explanation
{
    public static string Write(string metric, Recommendation r, double popularityWeight, InteractionMatrix matrix,
        IReadOnlyDictionary<long, string> usernames)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            var popularity = popularityWeight * r.Popularity;
            json.WriteStartObject();
            json.WriteString("metric", metric);
            json.WriteNumber("supporting_neighbours", r.SupportingNeighbours);
            json.WriteNumber("evidence", r.Score - popularity);
            json.WriteNumber("popularity", popularity);
            json.WriteStartArray("neighbours");
            foreach (var c in r.TopContributors)
            {
                var id = matrix.UserId(c.Neighbour);
                json.WriteStartObject();
                json.WriteString("username", usernames.GetValueOrDefault(id, id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                json.WriteNumber("similarity", c.Similarity);
                json.WriteNumber("play_count", c.PlayCount);
                json.WriteBoolean("loved", c.Loved);
                json.WriteNumber("contribution", c.Amount);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
