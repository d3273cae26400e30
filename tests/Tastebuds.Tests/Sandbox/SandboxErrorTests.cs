using System.Net;
using Microsoft.Extensions.Time.Testing;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.Logging;

namespace Tastebuds.Tests.Sandbox;

public sealed class SandboxErrorTests
{
    [Test]
    public async Task Private_unknown_and_invalid_requests_get_the_real_error_codes_and_statuses()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions
        {
            World = SandboxHttp.World.Value, InvalidApiKeys = ["revoked"], SuspendedApiKeys = ["suspended"],
        });
        using var http = SandboxHttp.Client();
        var someone = server.World.Users.First(u => !u.IsPrivate).Name;

        var privateUser = await http.GetAsync(server, "user.getTopTracks", server.World.PrivateUsernames[0]);
        var privateInfo = await http.GetAsync(server, "user.getInfo", server.World.PrivateUsernames[0]);
        var unknown = await http.GetAsync(server, "user.getTopTracks", server.World.MissingUsernames[0]);
        var invalidKey = await http.GetAsync(server, "user.getTopTracks", someone, apiKey: "revoked");
        var noKey = await http.GetAsync(server, "user.getTopTracks", someone, apiKey: "");
        var suspended = await http.GetAsync(server, "user.getTopTracks", someone, apiKey: "suspended");
        var badMethod = await http.GetAsync(server, "user.getNothing", someone);
        var badPage = await http.GetAsync(server, "user.getTopTracks", someone, extra: ("page", "0"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That((privateUser.Status, privateUser.ErrorCode), Is.EqualTo((HttpStatusCode.Forbidden, 17)));
            Assert.That(privateUser.Body, Is.EqualTo("""{"message":"Login: User required to be logged in","error":17}"""));
            Assert.That(privateInfo.Status, Is.EqualTo(HttpStatusCode.OK), "profiles stay visible");
            Assert.That((unknown.Status, unknown.ErrorCode), Is.EqualTo((HttpStatusCode.NotFound, 6)));
            Assert.That(unknown.Json.Str("message"), Is.EqualTo("User not found"));
            Assert.That((invalidKey.Status, invalidKey.ErrorCode), Is.EqualTo((HttpStatusCode.Forbidden, 10)));
            Assert.That((noKey.Status, noKey.ErrorCode), Is.EqualTo((HttpStatusCode.Forbidden, 10)));
            Assert.That((suspended.Status, suspended.ErrorCode), Is.EqualTo((HttpStatusCode.Forbidden, 26)));
            Assert.That((badMethod.Status, badMethod.ErrorCode), Is.EqualTo((HttpStatusCode.BadRequest, 3)));
            Assert.That((badPage.Status, badPage.ErrorCode), Is.EqualTo((HttpStatusCode.BadRequest, 6)));
            Assert.That(server.RequestLog.Snapshot().Select(r => r.Outcome), Has.Exactly(7).EqualTo(SandboxOutcome.Error));
            Assert.That(server.RequestLog.Snapshot().All(r => !r.ApiKeyHash.Contains("revoked", StringComparison.Ordinal)), Is.True);
        }
    }

    [Test]
    public async Task Past_the_budget_a_key_gets_29_with_Retry_After_until_the_window_rolls_over()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 10, TimeSpan.Zero));
        await using var server = await SandboxServer.StartAsync(new SandboxOptions
        {
            World = SandboxHttp.World.Value, MaxRequestsPerWindow = 3, BudgetWindow = TimeSpan.FromMinutes(1), TimeProvider = time,
        });
        using var http = SandboxHttp.Client();
        var user = server.World.Users.First(u => !u.IsPrivate).Name;

        for (var i = 0; i < 3; i++)
        {
            Assert.That((await http.GetAsync(server, "user.getInfo", user)).Status, Is.EqualTo(HttpStatusCode.OK));
        }

        var limited = await http.GetAsync(server, "user.getInfo", user);
        var otherKey = await http.GetAsync(server, "user.getInfo", user, apiKey: "another-key");
        time.Advance(TimeSpan.FromSeconds(50));
        var afterWindow = await http.GetAsync(server, "user.getInfo", user);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((limited.Status, limited.ErrorCode), Is.EqualTo(((HttpStatusCode)429, 29)));
            Assert.That(limited.Json.Str("message"), Does.StartWith("Rate Limit Exceeded - This application has made too many requests"));
            Assert.That(limited.Body, Does.Contain("https:\\/\\/www.last.fm\\/api\\/tos#4.4"));
            Assert.That(limited.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(50)));
            Assert.That(otherKey.Status, Is.EqualTo(HttpStatusCode.OK), "the budget is per key");
            Assert.That(afterWindow.Status, Is.EqualTo(HttpStatusCode.OK));
        }
    }
}
