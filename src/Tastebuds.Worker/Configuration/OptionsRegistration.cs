using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Tastebuds.Worker.Configuration;

/// <summary>Binds a section to its options class, validated when the host starts (and by every CLI verb).</summary>
internal static class OptionsRegistration
{
    public static IHostApplicationBuilder AddValidatedOptions<TOptions>(this IHostApplicationBuilder builder, string sectionName)
        where TOptions : class
    {
        builder.Services.AddValidatedOptions<TOptions>(builder.Configuration, sectionName);
        return builder;
    }

    public static IServiceCollection AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class
    {
        services.AddOptionsWithValidateOnStart<TOptions>().Bind(configuration.GetSection(sectionName));
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionValidator<TOptions>(sectionName));
        return services;
    }
}
