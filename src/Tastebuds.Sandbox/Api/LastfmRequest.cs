using System.Globalization;
using Microsoft.AspNetCore.Http;
using Tastebuds.Sandbox.World;

namespace Tastebuds.Sandbox.Api;

/// The parsed query of one `/2.0/` request.
internal sealed record LastfmRequest(
    string Method, string? User, string ApiKey, PageRequest Paging, SandboxPeriod Period, string? Tag, string? TaggingType)
{
    public static LastfmRequest Parse(IQueryCollection query) => new(
        Method: query["method"].ToString().Trim(),
        User: query.TryGetValue("user", out var user) && user.ToString().Trim().Length > 0 ? user.ToString().Trim() : null,
        ApiKey: query["api_key"].ToString(),
        Paging: new PageRequest(Int(query["page"], 1), Math.Clamp(Int(query["limit"], PageRequest.DefaultLimit), 1, PageRequest.MaxLimit)),
        Period: ParsePeriod(query["period"].ToString()),
        Tag: query.TryGetValue("tag", out var tag) && tag.ToString().Length > 0 ? tag.ToString() : null,
        TaggingType: query.TryGetValue("taggingtype", out var type) ? type.ToString().ToLowerInvariant() : null);

    /// The request's identity for the fault schedule: everything but the API key.
    public string FaultKey => string.Join('|', Method.ToLowerInvariant(), User?.ToLowerInvariant(), Period, Paging.Page, Paging.Limit, Tag, TaggingType);

    public bool PageInBounds => Paging.Page is >= 1 and <= 1_000_000;

    private static int Int(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    // Unknown periods fall back to overall, as the API does.
    private static SandboxPeriod ParsePeriod(string text) => text.ToLowerInvariant() switch
    {
        "7day" => SandboxPeriod.SevenDay,
        "1month" => SandboxPeriod.OneMonth,
        "3month" => SandboxPeriod.ThreeMonth,
        "6month" => SandboxPeriod.SixMonth,
        "12month" => SandboxPeriod.TwelveMonth,
        _ => SandboxPeriod.Overall,
    };
}
