using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Similarity;

public static class SimilarityRegistration
{
    public static IHostApplicationBuilder AddSimilarity(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<AlgorithmOptions>(AlgorithmOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddTransient<SimilarityRecalculator>();
        return builder;
    }
}
