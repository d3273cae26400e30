using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Tastebuds.Sandbox;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Worker.Cli;

/// <summary>
/// With no Last.fm API key configured, <c>demo</c> starts the offline sandbox in-process and points the client at
/// it: a seeded world of a few hundred users (some private, some names unknown), fetched at the sandbox's own
/// request budget instead of the production 30 requests a minute.
/// </summary>
internal static class DemoSandbox
{
    public const int Users = 200;
    public const int Seed = 42;
    public const int RequestsPerMinute = 12_000;

    public static async Task<IAsyncDisposable?> StartIfNoKeyAsync(HostApplicationBuilder builder, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{LastfmOptions.SectionName}:{nameof(LastfmOptions.ApiKey)}"]))
        {
            return null;
        }

        var sandbox = await SandboxServer.StartAsync(new SandboxOptions
        {
            Users = Users,
            Seed = Seed,
            // Budgeted per minute, like the client: a per-second budget would meet the client's bursts with error 29.
            MaxRequestsPerWindow = RequestsPerMinute,
            BudgetWindow = TimeSpan.FromMinutes(1),
        }, ct);

        var usernames = sandbox.World.Users.Select(u => u.Name).Concat(sandbox.World.MissingUsernames).ToList();
        var settings = new Dictionary<string, string?>
        {
            ["Lastfm:BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Lastfm:ApiKey"] = "offline-sandbox",
            ["Lastfm:RetryBaseDelay"] = "00:00:00.200",
            // The client stays a little under the sandbox's budget, as it would under Last.fm's.
            ["RateLimiting:MaxRequestsPerMinute"] = (RequestsPerMinute * 9 / 10).ToString(CultureInfo.InvariantCulture),
            ["RateLimiting:DelayBetweenUsers"] = "00:00:00",
        };
        for (var i = 0; i < usernames.Count; i++)
        {
            settings[$"Lastfm:Users:{i}"] = usernames[i];
        }

        builder.Configuration.AddInMemoryCollection(settings);
        Console.WriteLine($"Last.fm   offline sandbox at {sandbox.BaseUrl} ({sandbox.World.Users.Count} users, seed {Seed}; set Lastfm__ApiKey to use the real API)");
        return sandbox;
    }
}
