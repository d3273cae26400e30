using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Tastebuds.Worker.Recommendations;

public static class RecommendationsRegistration
{
    /// <summary>The generation stage, the read queries the verbs use, and the offline evaluation runner.</summary>
    public static IHostApplicationBuilder AddRecommendations(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddTransient<RecommendationGenerator>();
        builder.Services.AddTransient<RecommendationQueries>();
        return builder;
    }
}
