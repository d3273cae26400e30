using System.Net;

namespace Tastebuds.Worker.Lastfm;

/// <summary>A body already read and checked by <see cref="LastfmResponseHandler"/>, handed on without copying.</summary>
internal sealed class LastfmBufferedContent(byte[] body) : HttpContent
{
    public ReadOnlyMemory<byte> Body => body;

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        stream.WriteAsync(body).AsTask();

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken) =>
        stream.WriteAsync(body, cancellationToken).AsTask();

    protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult<Stream>(new MemoryStream(body, writable: false));

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }
}
