using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Tastebuds.Sandbox;
using Tastebuds.Tests.Fetching;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Tests.Recommendations;

/// <summary>Sandbox users fetched once into a migrated database; worker hosts with chosen Algorithm settings on it.</summary>
internal sealed class StageScenario : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];

    private StageScenario(TestDatabase database) => Database = database;

    public TestDatabase Database { get; }

    public static async Task<StageScenario> StartAsync(int users, long seed)
    {
        var database = await TestPostgres.CreateDatabaseAsync();
        await using (var fetch = await FetchScenario.StartAsync(new SandboxOptions { Users = users, Seed = seed }, database: database))
        {
            await fetch.FetchAsync();
        }

        return new StageScenario(database);
    }

    /// <summary>Worker hosts on a database the caller filled (the scenario drops it when disposed).</summary>
    public static StageScenario On(TestDatabase database) => new(database);

    public async Task<IServiceProvider> ServicesAsync(IDictionary<string, string?>? algorithm = null)
    {
        var settings = (algorithm ?? new Dictionary<string, string?>()).ToDictionary(p => $"Algorithm:{p.Key}", p => p.Value);
        var host = Database.BuildHost(settings);
        await WorkerHost.PrepareAsync(host, CancellationToken.None);
        _hosts.Add(host);
        return host.Services;
    }

    public async Task<SimilarityRecalculator> RecalculatorAsync(IDictionary<string, string?>? algorithm = null) =>
        (await ServicesAsync(algorithm)).GetRequiredService<SimilarityRecalculator>();

    public async Task<RecommendationGenerator> GeneratorAsync(IDictionary<string, string?>? algorithm = null) =>
        (await ServicesAsync(algorithm)).GetRequiredService<RecommendationGenerator>();

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            host.Dispose();
        }

        await Database.DisposeAsync();
    }
}
