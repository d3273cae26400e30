using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tastebuds.Sandbox;
using Tastebuds.Worker.Cli;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Similarity;

namespace Tastebuds.Benchmarks;

/// <summary>
/// `pipeline [users]`: the whole cycle at a chosen size, timed stage by stage: fetch a generated sandbox world over
/// loopback HTTP (no request budget, production client and storage), then the similarity and recommendation runs,
/// on a private PostgreSQL with durable default settings. One run; the stage figures are the worker's own.
/// </summary>
internal static class PipelineMeasurement
{
    public static async Task RunAsync(string[] args)
    {
        var users = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var state = Path.Combine(Path.GetTempPath(), $"tastebuds-pipeline-{Environment.ProcessId}");
        try
        {
            await using var postgres = await EmbeddedPostgres.StartAsync(new EmbeddedPostgresOptions { DataDirectory = state }, NullLogger.Instance, CancellationToken.None);
            await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Users = users, Seed = 42 });
            var settings = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = postgres.ConnectionString,
                ["Lastfm:BaseUrl"] = sandbox.BaseUrl.ToString(),
                ["Lastfm:ApiKey"] = "pipeline-measurement",
                ["RateLimiting:MaxRequestsPerMinute"] = "100000",
                ["RateLimiting:DelayBetweenUsers"] = "00:00:00",
                ["Logging:LogLevel:Default"] = "Warning",
            };
            var names = sandbox.World.Users.Select(u => u.Name).ToList();
            for (var i = 0; i < names.Count; i++)
            {
                settings[$"Lastfm:Users:{i}"] = names[i];
            }

            using var host = WorkerHost.CreateBuilder(settings).Build();
            await WorkerHost.PrepareAsync(host, CancellationToken.None);
            await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);

            var clock = Stopwatch.StartNew();
            var fetch = await host.Services.GetRequiredService<FetchRunner>().RunAsync(null, null, CancellationToken.None);
            var fetchTime = clock.Elapsed;
            var similarity = await host.Services.GetRequiredService<SimilarityRecalculator>().RecalculateAsync(CancellationToken.None);
            var recommendations = await host.Services.GetRequiredService<RecommendationGenerator>().GenerateAsync(CancellationToken.None);

            await using var connection = new NpgsqlConnection(postgres.ConnectionString);
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand(
                "SELECT (SELECT count(*) FROM user_track_interactions) + (SELECT count(*) FROM user_album_interactions) + (SELECT count(*) FROM user_artist_interactions)", connection);
            var interactions = (long)(await count.ExecuteScalarAsync())!;

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                world: {users} generated users (seed 42), {interactions:N0} interaction rows stored
                fetch: {fetch.Succeeded} succeeded, {fetch.Skipped} skipped, {fetch.Failed} failed; {fetch.Requests:N0} requests in {fetchTime.TotalSeconds:0.0} s = {fetch.Requests / fetchTime.TotalSeconds:0} requests/s, {fetch.Succeeded / fetchTime.TotalSeconds:0.0} users/s
                similarities: {similarity.Users} users, {similarity.Interactions:N0} interactions, {similarity.PairsEvaluated:N0} pairs, {similarity.RowsWritten:N0} rows; load {similarity.LoadTime.TotalSeconds:0.00} s, compute {similarity.ComputeTime.TotalSeconds:0.00} s, write {similarity.WriteTime.TotalSeconds:0.00} s, total {similarity.Elapsed.TotalSeconds:0.00} s
                recommendations: {recommendations.RowsWritten:N0} rows for {recommendations.UsersWithRecommendations} users; load {recommendations.LoadTime.TotalSeconds:0.00} s, compute {recommendations.ComputeTime.TotalSeconds:0.00} s, write {recommendations.WriteTime.TotalSeconds:0.00} s, total {recommendations.Elapsed.TotalSeconds:0.00} s
                """));
        }
        finally
        {
            if (Directory.Exists(state))
            {
                Directory.Delete(state, recursive: true);
            }
        }
    }
}
