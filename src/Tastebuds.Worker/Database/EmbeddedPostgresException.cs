namespace Tastebuds.Worker.Database;

/// <summary>The private PostgreSQL could not be found, created or started; the message says what to do.</summary>
public sealed class EmbeddedPostgresException : Exception
{
    public EmbeddedPostgresException(string message) : base(message)
    {
    }

    public EmbeddedPostgresException(string message, Exception inner) : base(message, inner)
    {
    }
}
