using System.ComponentModel.DataAnnotations;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Lastfm;

/// <summary>Settings of the Last.fm API client (section <c>Lastfm</c>).</summary>
public sealed class LastfmOptions
{
    public const string SectionName = "Lastfm";

    /// <summary>The API key (a secret). Empty means the host decides (sandbox mode); it is then not sent.</summary>
    [Secret]
    public string ApiKey { get; set; } = "";

    [Required(ErrorMessage = Rule.Required)]
    public string BaseUrl { get; set; } = "https://ws.audioscrobbler.com/2.0/";

    /// <summary>The Last.fm users whose profiles are fetched.</summary>
    public string[] Users { get; set; } = [];

    /// <summary>Period of the top-* charts: overall, 7day, 1month, 3month, 6month or 12month.</summary>
    [Required(ErrorMessage = Rule.Required)]
    public string Period { get; set; } = "overall";

    /// <summary>Timeout of one attempt (one HTTP request, body included).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt of a transient failure (0 disables retries).</summary>
    [Range(0, 20, ErrorMessage = Rule.Range)]
    public int MaxRetries { get; set; } = 5;

    /// <summary>First retry delay; later delays grow exponentially (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Also fetch the friends of configured users (the fetch job decides what to do with them).</summary>
    public bool DiscoverFriends { get; set; }

    [Required(ErrorMessage = Rule.Required)]
    public string UserAgent { get; set; } = "Tastebuds/1.0 (+https://github.com/tastebuds)";
}
