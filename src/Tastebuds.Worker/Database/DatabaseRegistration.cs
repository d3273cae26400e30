using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tastebuds.Worker.Configuration;

namespace Tastebuds.Worker.Database;

public static class DatabaseRegistration
{
    /// <summary>Database options, the endpoint (configured or embedded), one NpgsqlDataSource, and migrations at start.</summary>
    public static IHostApplicationBuilder AddDatabase(this IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.SectionName);
        builder.AddValidatedOptions<ConnectionStringsOptions>(ConnectionStringsOptions.SectionName);
        builder.Services.AddSingleton<DatabaseEndpoint>();
        builder.Services.AddSingleton(sp =>
        {
            var source = new NpgsqlDataSourceBuilder(sp.GetRequiredService<DatabaseEndpoint>().ConnectionString);
            source.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            source.ConnectionStringBuilder.ApplicationName = "tastebuds";
            return source.Build();
        });
        builder.Services.AddSingleton<DatabaseOutage>();
        builder.Services.AddSingleton<SchemaMigrator>();
        builder.Services.AddSingleton<MigrationState>();

        // Registered before the scheduler: hosted services start in order, so no job runs on an old schema.
        builder.Services.AddHostedService<MigrationHostedService>();
        return builder;
    }
}
