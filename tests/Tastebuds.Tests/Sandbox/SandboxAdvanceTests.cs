using System.Net;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.World;

namespace Tastebuds.Tests.Sandbox;

/// <summary>Issue 10: worlds grow time, so that the fetch budget is tested against users that change, and users that do not.</summary>
public sealed class SandboxAdvanceTests
{
    [Test]
    public void Advancing_a_world_is_reproducible_and_leaves_the_world_it_came_from_as_it_was()
    {
        var world = SandboxWorld.Generate(120, 5);
        var fingerprint = world.ComputeFingerprint();

        var a = world.AdvanceWeeks(2);
        var b = SandboxWorld.Generate(120, 5).AdvanceWeeks(1).AdvanceWeeks(1);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(world.ComputeFingerprint(), Is.EqualTo(fingerprint));
            Assert.That(a.ComputeFingerprint(), Is.Not.EqualTo(fingerprint));
            Assert.That(b.ComputeFingerprint(), Is.EqualTo(a.ComputeFingerprint()), "two weeks at once = one week twice");
            Assert.That(a.Week, Is.EqualTo(2));
            Assert.That(a.Now, Is.EqualTo(world.Now.AddDays(14)));
        }
    }

    [Test]
    public void In_a_week_some_users_listen_more_some_only_change_a_love_the_others_do_not_change_and_new_users_appear()
    {
        var world = SandboxWorld.Generate(400, 8);

        var next = world.AdvanceWeeks(1, changedFraction: 0.2, newUserFraction: 0.02);

        var changed = next.ChangedUsernames.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var listenedMore = changed.Count(n => next.FindUser(n)!.Playcount > world.FindUser(n)!.Playcount);
        var lovesOnly = changed.Count(n => next.FindUser(n)!.Playcount == world.FindUser(n)!.Playcount);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(changed, Has.Count.InRange(60, 100), "about a fifth of 400");
            Assert.That(listenedMore, Is.GreaterThan(lovesOnly).And.GreaterThan(0));
            Assert.That(lovesOnly, Is.GreaterThan(0));
            foreach (var name in changed.Where(n => next.FindUser(n)!.Playcount == world.FindUser(n)!.Playcount))
            {
                Assert.That(next.FindUser(name)!.LovedTracks, Has.Count.Not.EqualTo(world.FindUser(name)!.LovedTracks.Count), $"{name} changed a love");
            }

            foreach (var user in world.Users.Where(u => !changed.Contains(u.Name)))
            {
                Assert.That(next.FindUser(user.Name), Is.SameAs(user), $"{user.Name} did not change");
            }

            Assert.That(next.AddedUsernames, Has.Count.EqualTo(8));
            Assert.That(next.Users, Has.Count.EqualTo(408));
            Assert.That(next.AddedUsernames.Select(n => world.FindUser(n)), Is.All.Null);
            Assert.That(next.AddedUsernames.Select(n => next.FindUser(n)!.TopTracks.Count), Is.All.GreaterThan(0));
            foreach (var name in changed)
            {
                var user = next.FindUser(name)!;
                Assert.That(user.TopTracks.Select(t => t.Playcount), Is.Ordered.Descending, name);
                Assert.That(user.Playcount - world.FindUser(name)!.Playcount,
                    Is.EqualTo(user.TopTracks.Sum(t => t.Playcount) - world.FindUser(name)!.TopTracks.Sum(t => t.Playcount)), $"{name}: the total grows by the plays added");
            }
        }
    }

    [Test]
    public async Task A_running_sandbox_advances_in_process_and_over_http_and_serves_the_new_week_at_once()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { World = SandboxWorld.Generate(60, 3), ChangedFraction = 0.5 });
        using var http = SandboxHttp.Client();
        var week1 = server.AdvanceWeeks(1);
        var name = week1.ChangedUsernames.First(n => week1.FindUser(n)!.Playcount != SandboxWorld.Generate(60, 3).FindUser(n)!.Playcount);

        var afterInProcess = await http.GetAsync(server, "user.getInfo", name);
        using var posted = await http.PostAsync(new Uri(server.BaseUrl, "/admin/advance?weeks=2&changed=1"), null);
        var body = await posted.Content.ReadAsStringAsync();
        var afterHttp = await http.GetAsync(server, "user.getInfo", name);
        using var refused = await http.PostAsync(new Uri(server.BaseUrl, "/admin/advance?weeks=-1"), null);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(afterInProcess.Json.GetProperty("user").GetProperty("playcount").GetInt64(), Is.EqualTo(week1.FindUser(name)!.Playcount));
            Assert.That(posted.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(server.World.Week, Is.EqualTo(3));
            Assert.That(body, Does.Contain("\"week\":3"));
            Assert.That(afterHttp.Json.GetProperty("user").GetProperty("playcount").GetInt64(), Is.EqualTo(server.World.FindUser(name)!.Playcount));
            Assert.That(server.World.FindUser(name)!.Playcount, Is.GreaterThan(week1.FindUser(name)!.Playcount), "everyone changed in weeks 2 and 3");
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }
    }

    [Test]
    public void Options_reject_an_advance_out_of_range()
    {
        var problems = new SandboxOptions { AdvanceWeeks = -1, ChangedFraction = 2, NewUserFraction = -0.5 }.Validate();

        Assert.That(problems, Has.Some.Contains("AdvanceWeeks").And.Some.Contains("ChangedFraction").And.Some.Contains("NewUserFraction"));
    }
}
