using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm.Fuzz;

/// <summary>
/// A <see cref="UserSnapshot"/> from the untouched recordings, with one slot replaced by a mutated answer, as
/// <see cref="UserFetcher"/> would assemble it: top tags become the tags of the personally tagged items, friends
/// become usernames. The client's own checks come first: an answer for another user fails the user.
/// </summary>
internal sealed class FuzzSnapshots
{
    private const string PersonalTag = "rock";

    private readonly UserSnapshot _baseline;
    private readonly IReadOnlyList<TaggedItem> _tagged;

    public FuzzSnapshots(IReadOnlyList<FuzzBody> bodies)
    {
        object Parsed(string file) => LastfmParser.Parse(bodies.Single(b => b.File == file).Bytes, bodies.Single(b => b.File == file).Map);
        IReadOnlyList<T> Items<T>(string file) => ((LastfmPage<T>)Parsed(file)).Items;

        _tagged = [.. Items<TaggedItem>("user.getPersonalTags.track.json"), .. Items<TaggedItem>("user.getPersonalTags.artist.json")];
        _baseline = new UserSnapshot((LastfmUserProfile)Parsed("user.getInfo.json"), "7day",
            Items<TopTrack>("user.getTopTracks.json"), Items<TopAlbum>("user.getTopAlbums.json"), Items<TopArtist>("user.getTopArtists.json"),
            Items<LovedTrack>("user.getLovedTracks.json"), [.. _tagged.Select(i => new PersonalTag(PersonalTag, i))])
        {
            Friends = [.. Items<LastfmUserProfile>("user.getFriends.json").Select(f => f.Name)],
        };
    }

    /// <summary>The client's rule (LastfmClient.CheckUser): the answer names no user, or the one asked for.</summary>
    public static bool IsForAskedUser(FuzzBody body, object parsed)
    {
        var answered = parsed switch
        {
            LastfmUserProfile profile => profile.Name,
            LastfmPage<TopTrack> p => p.User,
            LastfmPage<TopAlbum> p => p.User,
            LastfmPage<TopArtist> p => p.User,
            LastfmPage<LovedTrack> p => p.User,
            LastfmPage<TagCount> p => p.User,
            LastfmPage<TaggedItem> p => p.User,
            LastfmPage<LastfmUserProfile> p => p.User,
            LastfmPage<RecentTrack> p => p.User,
            _ => throw new ArgumentException($"Unexpected parse result {parsed.GetType()}", nameof(parsed)),
        };
        return answered is null || string.Equals(answered.Trim(), body.AskedUser.Trim(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The snapshot with <paramref name="parsed"/> in its slot; null for getRecentTracks, which no snapshot holds.</summary>
    public UserSnapshot? With(FuzzSlot slot, object parsed) => slot switch
    {
        FuzzSlot.Profile => _baseline with { Profile = (LastfmUserProfile)parsed },
        FuzzSlot.TopTracks => _baseline with { TopTracks = ((LastfmPage<TopTrack>)parsed).Items },
        FuzzSlot.TopAlbums => _baseline with { TopAlbums = ((LastfmPage<TopAlbum>)parsed).Items },
        FuzzSlot.TopArtists => _baseline with { TopArtists = ((LastfmPage<TopArtist>)parsed).Items },
        FuzzSlot.LovedTracks => _baseline with { LovedTracks = ((LastfmPage<LovedTrack>)parsed).Items },
        // UserFetcher asks getPersonalTags once per top tag: here each of the first three tags gets the recorded items.
        FuzzSlot.TopTags => _baseline with
        {
            Tags = [.. ((LastfmPage<TagCount>)parsed).Items.Take(3).SelectMany(t => _tagged.Select(i => new PersonalTag(t.Name, i)))],
        },
        FuzzSlot.PersonalTags => _baseline with
        {
            Tags = [.. ((LastfmPage<TaggedItem>)parsed).Items.Select(i => new PersonalTag(PersonalTag, i))],
        },
        FuzzSlot.Friends => _baseline with { Friends = [.. ((LastfmPage<LastfmUserProfile>)parsed).Items.Select(f => f.Name)] },
        _ => null,
    };
}
