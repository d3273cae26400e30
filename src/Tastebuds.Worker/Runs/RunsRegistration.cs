using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Tastebuds.Worker.Runs;

public static class RunsRegistration
{
    /// <summary>Run and step bookkeeping (<c>data_fetch_logs</c>) shared by every stage, and the pipeline that chains them.</summary>
    public static IHostApplicationBuilder AddRuns(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RunLog>();
        builder.Services.AddSingleton<StageRun>();
        // Transient like the stages it calls (the fetch holds a typed HttpClient).
        builder.Services.AddTransient<Pipeline>();
        return builder;
    }
}
