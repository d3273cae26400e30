using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Fetching;

public sealed class MergedSnapshotTests
{
    private static readonly LastfmUserProfile Profile = new("rj", null, null, 10, null, null, null);

    [Test]
    public void Names_that_differ_only_in_case_and_spacing_are_one_catalog_entry_and_their_plays_add_up()
    {
        var merged = Merge(tracks:
        [
            new TopTrack("Stargazers", "Nightwish", null, null, 9, 1, null),
            new TopTrack("  stargazers ", "NIGHTWISH", "0d071af1", null, 4, 7, "https://www.last.fm/music/Nightwish/_/Stargazers"),
        ]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(merged.Artists.Select(a => a.Key), Is.EqualTo(new[] { "nightwish" }));
            Assert.That(merged.Tracks, Has.Count.EqualTo(1));
            Assert.That(merged.Tracks.Single().Name, Is.EqualTo("Stargazers"), "first spelling kept");
            Assert.That(merged.Tracks.Single().Mbid, Is.EqualTo("0d071af1"), "an mbid seen later fills the gap");
            Assert.That(merged.TrackRows.Single().PlayCount, Is.EqualTo(13));
            Assert.That(merged.TrackRows.Single().Rank, Is.EqualTo(1), "the best rank");
        }
    }

    [Test]
    public void A_loved_track_outside_the_top_list_is_an_interaction_and_counts_as_a_love_of_its_artist()
    {
        var loved = new DateTimeOffset(2016, 4, 4, 10, 53, 47, TimeSpan.Zero);
        var merged = Merge(
            tracks: [new TopTrack("Fire", "The Black Seeds", null, null, 3, 1, null)],
            loved:
            [
                new LovedTrack("Fire", "The Black Seeds", null, null, loved, null),
                new LovedTrack("Just Jammin'", "Gramatik", null, null, loved, null),
            ],
            artists: [new TopArtist("The Black Seeds", null, 3, 1, null)]);

        var fire = merged.TrackRows.Single(r => r.TrackKey == "fire");
        var jammin = merged.TrackRows.Single(r => r.TrackKey == "just jammin'");
        using (Assert.EnterMultipleScope())
        {
            Assert.That((fire.PlayCount, fire.IsLoved, fire.LovedAt), Is.EqualTo((3L, true, (DateTimeOffset?)loved)));
            Assert.That((jammin.PlayCount, jammin.IsLoved, jammin.Rank), Is.EqualTo((0L, true, (int?)null)));
            Assert.That(merged.ArtistRows.Single(r => r.Key == "the black seeds").LovedTracks, Is.EqualTo(1));
            Assert.That(merged.ArtistRows.Single(r => r.Key == "gramatik").PlayCount, Is.Zero, "loved-only artist: plays 0, loves 1");
            Assert.That(merged.ArtistRows.Single(r => r.Key == "gramatik").LovedTracks, Is.EqualTo(1));
        }
    }

    [Test]
    public void Tags_land_on_the_users_own_items_only_once_each_and_tagged_items_without_plays_or_loves_are_dropped()
    {
        var merged = Merge(
            tracks: [new TopTrack("Joga", "Björk", null, null, 5, 1, null)],
            albums: [new TopAlbum("Homogenic", "Björk", null, null, 5, 1, null)],
            tags:
            [
                new PersonalTag("icelandic", new TaggedItem(TaggingType.Track, "Joga", "Björk", null, null)),
                new PersonalTag("Icelandic", new TaggedItem(TaggingType.Track, "joga", "björk", null, null)),
                new PersonalTag("90s", new TaggedItem(TaggingType.Album, "Homogenic", "Björk", null, null)),
                new PersonalTag("never played", new TaggedItem(TaggingType.Track, "Army of Me", "Björk", null, null)),
                new PersonalTag("  ", new TaggedItem(TaggingType.Track, "Joga", "Björk", null, null)),
            ]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(merged.TrackRows.Single().Tags.ToArray(), Is.EqualTo(new[] { "icelandic" }));
            Assert.That(merged.AlbumRows.Single().Tags.ToArray(), Is.EqualTo(new[] { "90s" }));
            Assert.That(merged.Tracks.Select(t => t.Key), Is.EqualTo(new[] { "joga" }), "a tagged-only track is not stored");
        }
    }

    [Test]
    public void Blank_names_and_negative_play_counts_never_reach_the_database()
    {
        var merged = Merge(tracks:
        [
            new TopTrack(" ", "Nobody", null, null, 4, 1, null),
            new TopTrack("Song", "", null, null, 4, 2, null),
            new TopTrack("Real", "Someone", null, null, -7, 3, null),
        ]);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(merged.Tracks, Is.Empty, "a negative play count is unknown plays: the item is dropped");
            Assert.That(merged.TrackRows, Is.Empty);
            Assert.That(merged.Warnings, Is.EqualTo(new[] { "track 'Real' by 'Someone': play count -7 is negative; item dropped" }));
        }
    }

    [Test]
    public void Play_counts_that_are_not_numbers_drop_the_item_and_absurd_ones_are_clamped_each_with_a_warning()
    {
        var merged = MergedSnapshot.From(new UserSnapshot(Profile with { Playcount = long.MaxValue }, "overall",
            [
                new TopTrack("Lots", "Band", null, null, null, 1, null),
                new TopTrack("Huge", "Band", null, null, long.MaxValue, 2, null),
                new TopTrack("huge ", "BAND", null, null, 999_999_999, 3, null),
                new TopTrack("Fine", "Band", null, null, 10, 4, null),
            ],
            [], [new TopArtist("Band", null, 5_000_000_000, 1, null)], [], []));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(merged.TrackRows.ToDictionary(r => r.TrackKey, r => r.PlayCount),
                Is.EqualTo(new Dictionary<string, long> { ["huge"] = MergedSnapshot.MaxPlayCount, ["fine"] = 10 }), "the sum of two spellings stays within the bound");
            Assert.That(merged.ArtistRows.Single().PlayCount, Is.EqualTo(MergedSnapshot.MaxPlayCount));
            Assert.That(merged.TotalPlaycount, Is.EqualTo(MergedSnapshot.MaxPlayCount));
            Assert.That(merged.Warnings, Is.EquivalentTo(new[]
            {
                "the profile of 'rj': play count 9223372036854775807 is over 1,000,000,000; clamped to 1,000,000,000",
                "track 'Lots' by 'Band': play count is not a number; item dropped",
                "track 'Huge' by 'Band': play count 9223372036854775807 is over 1,000,000,000; clamped to 1,000,000,000",
                "artist 'Band': play count 5000000000 is over 1,000,000,000; clamped to 1,000,000,000",
            }));
        }
    }

    private static MergedSnapshot Merge(
        IReadOnlyList<TopTrack>? tracks = null, IReadOnlyList<TopAlbum>? albums = null, IReadOnlyList<TopArtist>? artists = null,
        IReadOnlyList<LovedTrack>? loved = null, IReadOnlyList<PersonalTag>? tags = null) =>
        MergedSnapshot.From(new UserSnapshot(Profile, "overall", tracks ?? [], albums ?? [], artists ?? [], loved ?? [], tags ?? []));
}
