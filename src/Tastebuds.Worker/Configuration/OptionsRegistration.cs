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
        var section = configuration.GetSection(sectionName);
        // Not OptionsBuilder.Bind: it throws at the first value of the wrong type, before any validator can report it.
        services.AddOptionsWithValidateOnStart<TOptions>().Configure(options => SectionBinding.Bind(section, options));
        services.AddSingleton<IOptionsChangeTokenSource<TOptions>>(new ConfigurationChangeTokenSource<TOptions>(section));
        services.AddSingleton<IValidateOptions<TOptions>>(sp => new SectionValidator<TOptions>(sectionName, section, sp));
        return services;
    }
}
