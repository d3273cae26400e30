using Microsoft.Extensions.Hosting;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Similarity;

public static class SimilarityRegistration
{
    public static IHostApplicationBuilder AddSimilarity(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<AlgorithmOptions>(AlgorithmOptions.SectionName);
        return builder;
    }
}
