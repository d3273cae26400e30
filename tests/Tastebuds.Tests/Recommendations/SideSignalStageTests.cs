using System.Data;
using System.Text.Json;
using Dapper;
using Tastebuds.Core;
using Tastebuds.Core.Models;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Core;
using Tastebuds.Tests.Fetching;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Tests.Recommendations;

/// <summary>
/// The production hybrid with the side signals a real fetch stored: personal tags (FetchLimits:TagsPerUser 5) and
/// friend edges (Lastfm:DiscoverFriends). One user keeps only their albums and artists, so friends are all that can
/// recommend them tracks.
/// </summary>
[NonParallelizable]
public sealed class SideSignalStageTests
{
    private TestDatabase _database = null!;
    private StageScenario _stage = null!;
    private RecommendationResult _result = null!;
    private (long Id, string Name) _loner;
    private string[] _lonersFriends = [];

    [OneTimeSetUp]
    public async Task FetchWithTagsAndFriendsThenRunTheHybrid()
    {
        _database = await TestPostgres.CreateDatabaseAsync();
        await using (var fetch = await FetchScenario.StartAsync(new SandboxOptions { Users = 60, Seed = 3 },
                         settings: new Dictionary<string, string?> { ["Lastfm:DiscoverFriends"] = "true" }, database: _database))
        {
            await fetch.FetchAsync();
        }

        // The user with the most friends who hold tracks loses their tracks and tags (albums and artists keep them a user).
        await using (var connection = await _database.DataSource.OpenConnectionAsync())
        {
            _loner = await connection.QuerySingleAsync<(long, string)>(
                """
                SELECT u.id, u.username FROM lastfm_users u JOIN user_friends e ON e.user_id = u.id
                WHERE EXISTS (SELECT 1 FROM user_artist_interactions a WHERE a.user_id = u.id)
                  AND EXISTS (SELECT 1 FROM user_track_interactions t WHERE t.user_id = e.friend_id)
                GROUP BY u.id, u.username ORDER BY count(*) DESC, u.id LIMIT 1
                """);
            await connection.ExecuteAsync(
                "DELETE FROM user_track_interactions WHERE user_id = @id; DELETE FROM user_personal_tags WHERE user_id = @id", new { id = _loner.Id });
            _lonersFriends = [.. await connection.QueryAsync<string>(
                "SELECT DISTINCT f.username FROM user_friends e JOIN lastfm_users f ON f.id IN (e.friend_id, e.user_id) WHERE @id IN (e.user_id, e.friend_id) AND f.id <> @id",
                new { id = _loner.Id })];
        }

        _stage = StageScenario.On(_database);
        _result = await (await _stage.GeneratorAsync(new Dictionary<string, string?> { ["Recommender"] = RecommenderNames.Hybrid }))
            .GenerateAsync(CancellationToken.None);
    }

    [OneTimeTearDown]
    public async Task Drop() => await _stage.DisposeAsync();

    [Test]
    public async Task The_stage_blends_the_stored_tags_and_friends_and_logs_their_tuned_weights()
    {
        var details = await _database.ScalarAsync<string>(
            $"SELECT details ->> 'components' FROM data_fetch_logs WHERE run_id = '{_result.RunId}' AND job_type = 'generate_recommendations'");
        TestContext.Out.WriteLine(details);
        var weights = details!.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(weights.Keys, Is.EqualTo(new[] { "als", "rp3beta", ModelCatalogue.HybridTags.Name, FriendModel.MethodName }));
            // On this generated world the tuning gives both 0 (iALS already ranks what they know: docs/algorithms.md),
            // so the friends' rows below are those of the user only friends can serve.
            Assert.That(weights.Values, Has.All.InRange(0.0, 3.0), "weights from the tuning grid");
            Assert.That(await _database.ScalarAsync<long>(
                """
                SELECT count(*) FROM collaborative_recommendations cr, unnest(cr.evidence_kinds, cr.evidence_ids) AS e(kind, id)
                WHERE e.kind = 4 AND e.id = (SELECT code FROM recommendation_methods WHERE name = 'friends')
                """),
                Is.GreaterThan(0), "rows name the friends component among their shares");
        }
    }

    [Test]
    public async Task A_user_whose_only_signal_is_friends_gets_their_friends_tracks_explained_by_the_friend()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        var rows = (await connection.QueryAsync<(string Track, string Artist, string Explanation)>(
            "SELECT track, artist, explanation::text FROM get_collaborative_recommendations(@name, 1000)", new { name = _loner.Name })).ToList();
        var friendsTracks = (await connection.QueryAsync<(string, string)>(
            """
            SELECT t.name, a.name FROM user_track_interactions i JOIN lastfm_users f ON f.id = i.user_id
            JOIN tracks t ON t.id = i.track_id JOIN artists a ON a.id = t.artist_id
            WHERE f.username = ANY (@names)
            """, new { names = _lonersFriends })).ToHashSet();
        TestContext.Out.WriteLine(rows.FirstOrDefault().Explanation);

        Assert.That(rows, Is.Not.Empty, $"{_loner.Name} has recommendations");
        using (Assert.EnterMultipleScope())
        {
            foreach (var (track, artist, text) in rows)
            {
                var explanation = JsonDocument.Parse(text).RootElement;
                var named = explanation.GetProperty("friends").EnumerateArray().Select(f => f.GetProperty("username").GetString()).ToList();
                Assert.That(friendsTracks, Does.Contain((track, artist)), "a friend plays every recommended track");
                Assert.That(named, Is.Not.Empty.And.SubsetOf(_lonersFriends));
                Assert.That(explanation.GetProperty("text").GetString(), Does.Contain($"your friend {named.FirstOrDefault()} plays it"));
            }
        }
    }

    [Test]
    public async Task The_hybrids_tuning_never_sees_a_tag_on_an_item_held_out_for_validation()
    {
        var (matrix, side) = await LoadAsync();
        var input = new ModelInput(matrix, ItemKind.Track, side.For(matrix, ItemKind.Track));
        var spy = new SpyModel("spy");

        new HybridModel([spy]).Tune(input, CancellationToken.None);

        var validation = spy.Inputs.Single();
        var heldOutTags = 0;
        using (Assert.EnterMultipleScope())
        {
            for (var u = 0; u < input.UserCount; u++)
            {
                var heldOut = input.ItemsOf(u).ToArray().Except(validation.ItemsOf(u).ToArray()).ToHashSet();
                heldOutTags += input.Side.Tags.Count(t => t.User == u && heldOut.Contains(t.Item));
                Assert.That(validation.Side.Tags.Where(t => t.User == u).Select(t => t.Item).Where(heldOut.Contains), Is.Empty,
                    $"user {u}'s tags on their validation items reach the tuning");
            }
        }

        Assert.That(heldOutTags, Is.GreaterThan(0), "the stored tags cover held-out items, so a leak would show");
    }

    [Test]
    public async Task Evaluate_from_the_database_reads_the_stored_tags_and_friends()
    {
        var (_, side) = await LoadAsync();

        var data = await EvaluationSources.FromDatabaseAsync(_database.DataSource, CancellationToken.None);
        var report = EvaluationRunner.Run(data, new AlgorithmOptions(), holdout: 0.2, cutOff: 10, seed: 42, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(data.Tags, Is.EqualTo(side.Tags).And.Not.Empty);
            Assert.That(data.Friends, Is.EqualTo(side.Friends).And.Not.Empty);
            Assert.That(report[TagModel.MethodName].Ndcg, Is.GreaterThan(0), "the tag scorer has tags to work with");
            Assert.That(report[FriendModel.MethodName].Ndcg, Is.GreaterThan(0), "the friend scorer has friends to work with");
        }
    }

    [Test]
    public async Task The_stage_registers_every_stored_tag_by_name_once_and_its_reasons_point_at_registered_tags()
    {
        var (_, side) = await LoadAsync();
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        var stored = (await connection.QueryAsync<string>("SELECT tag FROM user_personal_tags"))
            .Where(CatalogKey.IsUsable).Select(CatalogKey.Normalise).ToHashSet();
        var registered = (await connection.QueryAsync<(long Id, string Key, string Name)>("SELECT id, name_key, name FROM tags")).ToList();
        var again = await TagRegistry.RegisterAsync(connection, side, CancellationToken.None);
        var ids = registered.ToDictionary(t => t.Key, t => t.Id);

        Assert.That(stored, Is.Not.Empty, "the fetch stored personal tags");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(registered.Select(t => t.Key), Is.EquivalentTo(stored), "each tag once, by its key");
            Assert.That(registered, Has.All.Matches<(long, string Key, string Name)>(t => CatalogKey.Normalise(t.Name) == t.Key),
                "a tag keeps a spelling of itself");
            Assert.That(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM tags"), Is.EqualTo(registered.Count),
                "registering the same tags again adds none");
            Assert.That(again.Tags.Select(t => t.TagId).Distinct(), Is.SubsetOf(ids.Values), "rows carry the registered ids");
            Assert.That(again.Tags.Select(t => (t.UserId, t.ItemId)), Is.EqualTo(side.Tags.Select(t => (t.UserId, t.ItemId))),
                "the same rows, in the same order");
            Assert.That(again.Tags.Select(t => t.TagId),
                Is.EqualTo(side.Tags.Select(t => ids[side.TagNames[(int)t.TagId - 1].Key])), "each row's tag id is its tag's");
            Assert.That(await connection.ExecuteScalarAsync<long>(
                """
                SELECT count(*) FROM collaborative_recommendations cr, unnest(cr.evidence_kinds, cr.evidence_ids) AS e(kind, id)
                WHERE e.kind = 3 AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.id = e.id)
                """), Is.Zero, "every stored tag reason names a registered tag");
        }
    }

    [Test]
    public async Task The_model_stage_loads_the_tracks_of_the_same_users_as_the_whole_load_the_user_without_tracks_included()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        var weighting = new AlgorithmOptions().ToWeighting();
        var (whole, _) = await InteractionLoader.LoadMatrixAsync(connection, weighting, -1, CancellationToken.None);
        var tracks = await InteractionLoader.LoadTrackMatrixAsync(connection, weighting, -1, CancellationToken.None);
        await transaction.CommitAsync();

        using (Assert.EnterMultipleScope())
        {
            Assert.That(Enumerable.Range(0, tracks.UserCount).Select(tracks.UserId),
                Is.EqualTo(Enumerable.Range(0, whole.UserCount).Select(whole.UserId)), "the same users, numbered the same");
            Assert.That(tracks.TryGetUser(_loner.Id, out var loner) && tracks.ItemsOf(loner, ItemKind.Track).IsEmpty,
                "the user with albums and artists but no tracks is a user of the track load");
            Assert.That(Enumerable.Range(0, tracks.ItemCount(ItemKind.Track)).Select(i => tracks.ItemId(ItemKind.Track, i)),
                Is.EqualTo(Enumerable.Range(0, whole.ItemCount(ItemKind.Track)).Select(i => whole.ItemId(ItemKind.Track, i))), "the same tracks");
            for (var u = 0; u < whole.UserCount; u++)
            {
                Assert.That(tracks.ItemsOf(u, ItemKind.Track).ToArray(), Is.EqualTo(whole.ItemsOf(u, ItemKind.Track).ToArray()), $"user {u}'s tracks");
                Assert.That(tracks.WeightsOf(u, ItemKind.Track).ToArray(), Is.EqualTo(whole.WeightsOf(u, ItemKind.Track).ToArray()), $"user {u}'s weights");
            }

            Assert.That(whole.ItemCount(ItemKind.Artist), Is.Positive, "the whole load has artists");
            Assert.That(tracks.ItemCount(ItemKind.Album) + tracks.ItemCount(ItemKind.Artist), Is.Zero, "the track load has no albums or artists");
        }
    }

    private async Task<(InteractionMatrix, SideSignalRows)> LoadAsync()
    {
        await using var connection = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        var (matrix, _) = await InteractionLoader.LoadMatrixAsync(connection, new AlgorithmOptions().ToWeighting(), -1, CancellationToken.None);
        var side = await SideSignalLoader.LoadAsync(connection, CancellationToken.None);
        await transaction.CommitAsync();
        return (matrix, side);
    }
}
