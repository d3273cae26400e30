using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.World;
using Tastebuds.Tests.Fetching;
using Tastebuds.Worker.NewUsers;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Tests.NewUsers;

/// <summary>
/// A sandbox world whose first users are fetched and fully computed, and whose last ones arrive later as newcomers:
/// added like an application would, fetched, and served by the incremental step; the full stages stay at hand as the
/// reference.
/// </summary>
internal sealed class NewUserScenario : IAsyncDisposable
{
    public static readonly Dictionary<string, string?> Algorithm = new()
    {
        // The incremental step writes user-kNN rows; the full run is compared with it, so it runs user-kNN too.
        ["Algorithm:Recommender"] = "userknn",
        ["Algorithm:PrimaryMetric"] = "all",
        // Short lists, so newcomers enter them and push the last entry out.
        ["Algorithm:MaxSimilarUsers"] = "6",
        ["Algorithm:MinSharedItems"] = "3",
        ["Algorithm:SimilarityThreshold"] = "0.02",
        ["Algorithm:RecommendationsPerUser"] = "20",
    };

    private NewUserScenario(FetchScenario fetch, IReadOnlyList<string> newcomers)
    {
        Fetch = fetch;
        Newcomers = newcomers;
    }

    public FetchScenario Fetch { get; }

    /// <summary>Users of the world not fetched at the start.</summary>
    public IReadOnlyList<string> Newcomers { get; }

    public Tastebuds.Tests.Support.TestDatabase Database => Fetch.Database;

    public IServiceProvider Services => Fetch.Host.Services;

    /// <param name="overrides">Settings on top of <see cref="Algorithm"/>.</param>
    public static async Task<NewUserScenario> StartAsync(int users, int newcomers, long seed,
        IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var world = SandboxWorld.Generate(users, seed, privateFraction: 0, missingUsernames: 0);
        var names = world.Users.Select(u => u.Name).ToList();
        var settings = new Dictionary<string, string?>(Algorithm);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var fetch = await FetchScenario.StartAsync(new SandboxOptions { World = world }, users: names.Take(users - newcomers),
            settings: settings);
        await fetch.FetchAsync();
        return new NewUserScenario(fetch, names.Skip(users - newcomers).ToList());
    }

    public async Task FullRunAsync()
    {
        await Services.GetRequiredService<SimilarityRecalculator>().RecalculateAsync(CancellationToken.None);
        await Services.GetRequiredService<RecommendationGenerator>().GenerateAsync(CancellationToken.None);
    }

    /// <summary>As the FetchNewUsers job does it: add, fetch the never-fetched, serve the pending.</summary>
    public async Task<IReadOnlyList<NewUserResult>> ArriveAsync(params string[] names)
    {
        foreach (var name in names)
        {
            await Database.ExecuteAsync($"SELECT add_lastfm_user('{name}')");
        }

        var pending = Services.GetRequiredService<PendingNewUsers>();
        var never = await pending.NeverFetchedAsync(50, CancellationToken.None);
        Assert.That(never, Is.EquivalentTo(names), "the never-fetched queue");
        await Fetch.Runner.RunAsync(never, null, CancellationToken.None);
        return await ServePendingAsync();
    }

    public async Task<IReadOnlyList<NewUserResult>> ServePendingAsync()
    {
        var toServe = await Services.GetRequiredService<PendingNewUsers>().ToServeAsync(50, CancellationToken.None);
        return await Services.GetRequiredService<NewUserServer>().ServeAsync(toServe, CancellationToken.None) ?? [];
    }

    public async Task<List<SimilarityRow>> SimilaritiesAsync()
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<SimilarityRow>(
            """
            SELECT user_id::bigint AS UserId, metric AS Metric, rank::int AS Rank, similar_user_id::bigint AS SimilarUserId,
                   similarity_score::float8 AS Score, coalesce(track_score, -9)::float8 AS TrackScore,
                   coalesce(album_score, -9)::float8 AS AlbumScore, coalesce(artist_score, -9)::float8 AS ArtistScore,
                   shared_items::int AS SharedItems
            FROM user_similarities ORDER BY user_id, metric, rank
            """)).AsList();
    }

    public async Task<List<RecommendationRow>> RecommendationsAsync(string username)
    {
        await using var connection = await Database.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<RecommendationRow>(
            """
            SELECT cr.metric AS Metric, cr.rank::int AS Rank, cr.track_id AS TrackId, cr.recommendation_score::float8 AS Score,
                   cr.supporting_neighbours::int AS Supporters
            FROM collaborative_recommendations cr JOIN lastfm_users u ON u.id = cr.user_id
            WHERE lower(u.username) = lower(@username) ORDER BY cr.metric, cr.rank
            """, new { username })).AsList();
    }

    public ValueTask DisposeAsync() => Fetch.DisposeAsync();
}

internal sealed record SimilarityRow(long UserId, string Metric, int Rank, long SimilarUserId, double Score,
    double TrackScore, double AlbumScore, double ArtistScore, int SharedItems);

internal sealed record RecommendationRow(string Metric, int Rank, long TrackId, double Score, int Supporters);
