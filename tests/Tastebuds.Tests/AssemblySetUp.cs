using Tastebuds.Tests.Support;

namespace Tastebuds.Tests;

/// <summary>Stops the throwaway PostgreSQL cluster (if one was started) once every test has run.</summary>
[SetUpFixture]
public sealed class AssemblySetUp
{
    [OneTimeTearDown]
    public async Task StopPostgres() => await TestPostgres.StopAsync();
}
