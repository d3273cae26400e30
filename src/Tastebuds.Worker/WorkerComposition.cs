using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tastebuds.Worker.Database;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Hosting;
using Tastebuds.Worker.Lastfm;
using Tastebuds.Worker.NewUsers;
using Tastebuds.Worker.Recommendations;
using Tastebuds.Worker.Runs;
using Tastebuds.Worker.Scheduling;
using Tastebuds.Worker.Similarity;
using Tastebuds.Worker.Telemetry;

namespace Tastebuds.Worker;

/// <summary>Everything the worker is made of, one AddXyz per concern. The daemon, every verb and the tests build from here.</summary>
public static class WorkerComposition
{
    public static IHostApplicationBuilder AddTastebuds(this IHostApplicationBuilder builder)
    {
        builder.AddLogging();
        builder.AddGracefulShutdown();
        builder.AddTelemetry();
        builder.AddDatabase();
        builder.AddLastfm();
        builder.AddRuns();
        builder.AddFetching();
        builder.AddSimilarity();
        builder.AddRecommendations();
        builder.AddNewUsers();
        builder.AddScheduling();
        return builder;
    }

    private static IHostApplicationBuilder AddLogging(this IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        if (Console.IsErrorRedirected)
        {
            // Collected by journald or a log shipper: one JSON object a line.
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        }

        // Logs go to stderr so that verbs' stdout carries only their output.
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        return builder;
    }
}
