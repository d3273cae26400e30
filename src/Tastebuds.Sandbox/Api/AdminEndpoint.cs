using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tastebuds.Sandbox.World;

namespace Tastebuds.Sandbox.Api;

/// `POST /admin/advance?weeks=N[&changed=F][&new=F]`: advances the served world (see SandboxWorld.AdvanceWeeks) and
/// answers what moved. Not part of Last.fm's API; a client under test never calls it.
internal sealed class AdminEndpoint(WorldHolder world)
{
    public async Task AdvanceAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!TryRead(query["weeks"], 1, out var weeks) || weeks is < 0 or > 520
            || !TryRead(query["changed"], 0.2, out var changed) || changed is < 0 or > 1
            || !TryRead(query["new"], 0.01, out var added) || added is < 0 or > 1)
        {
            context.Response.StatusCode = 400;
            await context.Response.WriteAsync("weeks must be a whole number 0..520; changed and new shares 0..1", context.RequestAborted);
            return;
        }

        var next = world.Advance((int)weeks, changed, added);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            week = next.Week,
            users = next.Users.Count,
            changed = next.ChangedUsernames,
            added = next.AddedUsernames,
        }), context.RequestAborted);
    }

    private static bool TryRead(string? text, double fallback, out double value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }
}
