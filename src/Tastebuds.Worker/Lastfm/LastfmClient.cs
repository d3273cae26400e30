using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker.Lastfm;

/// <summary>
/// Typed client for the read-only user.* methods of the Last.fm API 2.0.
/// Retries, the attempt timeout, the circuit breaker and the process-wide rate limit live in the
/// HttpClient pipeline (<see cref="LastfmRegistration"/>); this class builds requests, pages and maps.
/// Throws <see cref="LastfmUserUnavailableException"/> (skip the user), <see cref="LastfmKeyRejectedException"/>
/// (stop the run), <see cref="LastfmTransientException"/> (retries spent) or <see cref="LastfmApiException"/>.
/// </summary>
public sealed class LastfmClient(HttpClient http, IOptions<LastfmOptions> options, ILogger<LastfmClient> logger)
{
    /// <summary>Largest page Last.fm serves; larger limits are fetched in pages of this size.</summary>
    public const int MaxPageSize = 1000;

    private readonly LastfmOptions _options = options.Value;

    /// <summary>The user's profile; throws <see cref="LastfmWrongUserException"/> when it names another user.</summary>
    public Task<LastfmUserProfile> GetUserInfoAsync(string user, CancellationToken cancellationToken) =>
        GetAsync("user.getInfo", [("user", user)], root => CheckUser("user.getInfo", user, LastfmParser.UserInfo(root), p => p.Name),
            cancellationToken);

    public Task<IReadOnlyList<TopTrack>> GetTopTracksAsync(string user, string period, int limit, CancellationToken cancellationToken) =>
        GetPagedAsync("user.getTopTracks", [("user", user), ("period", CheckPeriod(period))], limit, LastfmParser.TopTracks, cancellationToken);

    public Task<IReadOnlyList<TopAlbum>> GetTopAlbumsAsync(string user, string period, int limit, CancellationToken cancellationToken) =>
        GetPagedAsync("user.getTopAlbums", [("user", user), ("period", CheckPeriod(period))], limit, LastfmParser.TopAlbums, cancellationToken);

    public Task<IReadOnlyList<TopArtist>> GetTopArtistsAsync(string user, string period, int limit, CancellationToken cancellationToken) =>
        GetPagedAsync("user.getTopArtists", [("user", user), ("period", CheckPeriod(period))], limit, LastfmParser.TopArtists, cancellationToken);

    public Task<IReadOnlyList<LovedTrack>> GetLovedTracksAsync(string user, int limit, CancellationToken cancellationToken) =>
        GetPagedAsync("user.getLovedTracks", [("user", user)], limit, LastfmParser.LovedTracks, cancellationToken);

    /// <summary>
    /// The user's loved tracks (up to <paramref name="limit"/>) and how many they have in all: the first page's
    /// <c>@attr.total</c>, which change detection compares between fetches.
    /// </summary>
    public async Task<LovedTracksPage> GetLovedTracksWithTotalAsync(string user, int limit, CancellationToken cancellationToken)
    {
        var (items, total) = await GetPagedWithTotalAsync("user.getLovedTracks", [("user", user)], Math.Max(1, limit), LastfmParser.LovedTracks, cancellationToken);
        return new LovedTracksPage(limit <= 0 ? [] : items, total);
    }

    public Task<IReadOnlyList<RecentTrack>> GetRecentTracksAsync(string user, int limit, CancellationToken cancellationToken) =>
        GetPagedAsync("user.getRecentTracks", [("user", user)], limit, LastfmParser.RecentTracks, cancellationToken);

    public Task<IReadOnlyList<LastfmUserProfile>> GetFriendsAsync(string user, int limit, CancellationToken cancellationToken) =>
        GetPagedAsync("user.getFriends", [("user", user)], limit, LastfmParser.Friends, cancellationToken);

    public Task<IReadOnlyList<TaggedItem>> GetPersonalTagsAsync(
        string user, string tag, TaggingType taggingType, int limit, CancellationToken cancellationToken) =>
        GetPagedAsync("user.getPersonalTags",
            [("user", user), ("tag", tag), ("taggingtype", taggingType.ToString().ToLowerInvariant())],
            limit, LastfmParser.PersonalTags(taggingType), cancellationToken);

    /// <summary>The user's most used tags, most used first. user.getTopTags has no paging: one request.</summary>
    public async Task<IReadOnlyList<TagCount>> GetTopTagsAsync(string user, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
        {
            return [];
        }

        var page = await GetAsync("user.getTopTags", [("user", user), ("limit", Number(limit))],
            root => CheckUser("user.getTopTags", user, LastfmParser.TopTags(root), p => p.User), cancellationToken);
        return page.Items.Count <= limit ? page.Items : page.Items.Take(limit).ToList();
    }

    /// <summary>
    /// Pages 1, 2, … with a constant page size (Last.fm numbers pages by the size asked, so it cannot
    /// change between pages) until <paramref name="limit"/> items, an empty page, or the last page.
    /// Pages may hold fewer items than asked (deleted items), so only counts decide. A server that ignores
    /// <c>page</c> repeats items: an item seen before is not taken again, a page with nothing new ends the
    /// list, and no list takes more than 2 × ⌈limit / page size⌉ + 1 pages, whatever <c>totalPages</c> claims (room for
    /// pages that deleted items left half empty).
    /// Every page must be for <paramref name="args"/>' user (<see cref="LastfmWrongUserException"/>).
    /// </summary>
    private async Task<IReadOnlyList<T>> GetPagedAsync<T>(string method, (string Name, string Value)[] args, int limit,
        Func<JsonElement, LastfmPage<T>> parse, CancellationToken cancellationToken) =>
        limit <= 0 ? [] : (await GetPagedWithTotalAsync(method, args, limit, parse, cancellationToken)).Items;

    /// <summary><see cref="GetPagedAsync"/>, with the first page's claimed total (0 when it claims none).</summary>
    private async Task<(IReadOnlyList<T> Items, int Total)> GetPagedWithTotalAsync<T>(string method, (string Name, string Value)[] args, int limit,
        Func<JsonElement, LastfmPage<T>> parse, CancellationToken cancellationToken)
    {
        var total = 0;
        var user = args[0].Value;
        var perPage = Math.Min(limit, MaxPageSize);
        var maxPages = (2 * ((limit + perPage - 1) / perPage)) + 1;
        var items = new List<T>(perPage);
        var seen = new HashSet<T>();
        for (var page = 1; items.Count < limit && page <= maxPages; page++)
        {
            var result = await GetAsync(method, [.. args, ("limit", Number(perPage)), ("page", Number(page))],
                root => CheckUser(method, user, parse(root), p => p.User), cancellationToken);
            total = page == 1 ? Math.Max(0, result.Total) : total;
            var added = 0;
            foreach (var item in result.Items)
            {
                if (items.Count < limit && seen.Add(item))
                {
                    items.Add(item);
                    added++;
                }
            }

            LastfmLog.PageFetched(logger, method, page, result.TotalPages, result.Items.Count, items.Count, limit);
            if (result.Items.Count > 0 && added == 0)
            {
                LastfmLog.PageRepeated(logger, method, page, result.TotalPages);
                break;
            }

            if (result.Items.Count == 0 || page >= result.TotalPages)
            {
                break;
            }
        }

        return (items, total);
    }

    private static TResult CheckUser<TResult>(string method, string asked, TResult result, Func<TResult, string?> answeredFor)
    {
        var answered = answeredFor(result);
        return answered is null || string.Equals(answered.Trim(), asked.Trim(), StringComparison.OrdinalIgnoreCase)
            ? result
            : throw new LastfmWrongUserException(method, asked, answered, null);
    }

    private async Task<T> GetAsync<T>(string method, (string Name, string Value)[] args, Func<JsonElement, T> parse,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, BuildUri(method, args));
        request.Options.Set(LastfmResponseHandler.MethodKey, method);
        // One span per call; the HttpClient instrumentation adds one child span per attempt.
        using var activity = TastebudsActivity.Source.StartActivity($"lastfm {method}", System.Diagnostics.ActivityKind.Client);
        activity?.SetTag("lastfm.method", method);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var body = response.Content is LastfmBufferedContent buffered
                ? buffered.Body
                : await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return LastfmParser.Parse(body, parse);
        }
        catch (Exception ex) when (activity is not null && Failed(activity, ex))
        {
            throw; // Unreachable: Failed returns false, the filter only tags the span.
        }
        catch (JsonException ex)
        {
            // Well-formed JSON of an unexpected shape: retrying would get the same answer.
            throw new LastfmApiException($"Last.fm {method} answered an unexpected shape: {ex.Message}; {Redacted(request)}",
                LastfmErrorCode.None, requestUri: Redacted(request), inner: ex);
        }
        catch (Exception ex) when (IsForeignTransient(ex, cancellationToken))
        {
            throw new LastfmTransientException($"Last.fm {method} failed: {ex.Message}; {Redacted(request)}",
                LastfmErrorCode.None, null, null, Redacted(request), inner: ex);
        }
    }

    // Callers see Lastfm*Exceptions only. What reaches here unwrapped is the pipeline's own verdict (attempt timeouts
    // spent, circuit open, permit queue full) or, should a failure ever bypass LastfmResponseHandler, a transport error
    // or a cancellation nobody asked for. A cancellation the caller asked for stays an OperationCanceledException.
    private static bool IsForeignTransient(Exception ex, CancellationToken cancellationToken) =>
        ex is TimeoutRejectedException or BrokenCircuitException or RateLimiterRejectedException or HttpRequestException or IOException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private static bool Failed(System.Diagnostics.Activity activity, Exception ex)
    {
        activity.RecordFailure(ex);
        if (ex is LastfmApiException { ErrorCode: not LastfmErrorCode.None } api)
        {
            activity.SetTag("lastfm.error_code", (int)api.ErrorCode);
        }

        return false;
    }

    private static string Redacted(HttpRequestMessage request) => LastfmRedaction.Redact(request.RequestUri);

    private string BuildUri(string method, (string Name, string Value)[] args)
    {
        var query = new StringBuilder("?method=").Append(method);
        foreach (var (name, value) in args)
        {
            query.Append('&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }

        if (_options.ApiKey.Length > 0)
        {
            query.Append("&api_key=").Append(Uri.EscapeDataString(_options.ApiKey));
        }

        return query.Append("&format=json").ToString();
    }

    private static string CheckPeriod(string period) =>
        LastfmOptions.Periods.Contains(period, StringComparer.Ordinal)
            ? period
            : throw new ArgumentException(
                $"Period '{period}' is not one of {string.Join(", ", LastfmOptions.Periods)}.", nameof(period));

    private static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
