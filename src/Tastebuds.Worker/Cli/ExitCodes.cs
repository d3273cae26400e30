namespace Tastebuds.Worker.Cli;

/// <summary>Process exit codes, documented in docs/operations.md.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int ConfigurationError = 2;
    public const int DatabaseUnavailable = 3;
    public const int LastfmKeyRejected = 4;
    public const int PartialFailure = 5;
    public const int Cancelled = 130;
}
