using Microsoft.Extensions.Options;
using Tastebuds.Worker.Cli;

namespace Tastebuds.Tests.Telemetry;

public sealed class TelemetryOptionsTests
{
    [TestCase("Port", "70000", "Telemetry:Port = 70000: must be between 0 and 65535")]
    [TestCase("BindAddress", "everywhere", "Telemetry:BindAddress = 'everywhere': must be an IP address such as 0.0.0.0, :: or 127.0.0.1")]
    [TestCase("LivenessThreshold", "00:00:01", "Telemetry:LivenessThreshold = 00:00:01: must be between 00:00:10 and 00:10:00")]
    public void A_bad_telemetry_setting_is_reported_with_its_name_value_and_rule(string key, string value, string expected)
    {
        using var host = WorkerHost.CreateBuilder(new Dictionary<string, string?> { [$"Telemetry:{key}"] = value }).Build();

        var failures = Assert.Throws<OptionsValidationException>(() => WorkerHost.ValidateConfiguration(host.Services))!.Failures;

        Assert.That(failures, Does.Contain(expected));
    }
}
