using System.Globalization;
using System.Net;
using System.Text.Json;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.Faults;
using Tastebuds.Sandbox.Logging;

namespace Tastebuds.Tests.Sandbox;

public sealed class SandboxFaultTests
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromMilliseconds(40);

    [Test]
    public async Task Faults_appear_at_about_the_set_rate_and_every_kind_occurs()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions
        {
            World = SandboxHttp.World.Value, FaultRate = 0.4, ClientTimeout = ClientTimeout,
        });
        using var http = SandboxHttp.Client();
        var requests = Requests(server).Take(500).ToArray();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (r, ct) =>
        {
            try
            {
                using var response = await http.GetAsync(SandboxHttp.Url(server, r.Method, r.User, extra: r.Extra), ct);
                await response.Content.ReadAsByteArrayAsync(ct);
            }
            catch (HttpRequestException)
            {
                // truncated bodies end this way
            }
        });

        var log = server.RequestLog.Snapshot();
        var faulted = log.Count(r => r.Fault is not null);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(log, Has.Count.EqualTo(requests.Length));
            Assert.That(faulted / (double)log.Count, Is.EqualTo(0.4).Within(0.07));
            Assert.That(log.Select(r => r.Fault).OfType<SandboxFaultKind>().Distinct(), Is.EquivalentTo(Enum.GetValues<SandboxFaultKind>()));
            Assert.That(log.Where(r => r.Fault == SandboxFaultKind.Error16).Select(r => r.Status), Is.All.EqualTo(200));
            Assert.That(log.Where(r => r.Fault == SandboxFaultKind.Http502).Select(r => r.Status), Is.All.EqualTo(502));
            Assert.That(log.Where(r => r.Fault == SandboxFaultKind.LoneItemAsObject).Select(r => r.Outcome), Is.All.EqualTo(SandboxOutcome.Success));
        }
    }

    [Test]
    public async Task Retrying_a_faulted_request_eventually_gets_the_right_data_and_no_success_is_corrupt()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions
        {
            World = SandboxHttp.World.Value, FaultRate = 0.6, ClientTimeout = ClientTimeout, MaxConsecutiveFaults = 3,
        });
        using var http = new HttpClient { Timeout = ClientTimeout * 1.5 };
        var users = server.World.Users.Where(u => !u.IsPrivate && u.TopTracks.Count > 0).Take(40).ToArray();
        var loneObjects = 0;
        var maxAttempts = 0;

        foreach (var user in users)
        {
            for (var attempt = 1; ; attempt++)
            {
                Assert.That(attempt, Is.LessThanOrEqualTo(4), $"{user.Name} still failing");
                string body;
                try
                {
                    using var response = await http.GetAsync(SandboxHttp.Url(server, "user.getTopTracks", user.Name, extra: ("limit", "1")));
                    body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        continue;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    continue;
                }

                JsonElement root;
                try
                {
                    root = JsonDocument.Parse(body).RootElement;
                }
                catch (JsonException)
                {
                    continue; // malformed JSON: a failure the client must notice, never wrong data
                }

                if (root.TryGetProperty("error", out _))
                {
                    continue; // error 16 comes with HTTP 200
                }

                var tracks = root.GetProperty("toptracks");
                loneObjects += tracks.GetProperty("track").ValueKind == JsonValueKind.Object ? 1 : 0;
                var track = tracks.Items("track").Single();
                Assert.That((track.Str("name"), track.Str("playcount")),
                    Is.EqualTo((user.TopTracks[0].Item.Name, user.TopTracks[0].Playcount.ToString(CultureInfo.InvariantCulture))));
                maxAttempts = Math.Max(maxAttempts, attempt);
                break;
            }
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(maxAttempts, Is.GreaterThan(1), "some requests were faulted");
            Assert.That(loneObjects, Is.GreaterThan(0), "a lone item came as an object and still parsed to the right data");
        }
    }

    private static IEnumerable<(string Method, string User, (string, string)[] Extra)> Requests(SandboxServer server)
    {
        string[] methods = ["user.getTopTracks", "user.getTopArtists", "user.getLovedTracks", "user.getInfo", "user.getFriends"];
        foreach (var user in server.World.Users.Where(u => !u.IsPrivate))
        {
            foreach (var method in methods)
            {
                yield return (method, user.Name, [("limit", "1")]);
            }
        }
    }
}
