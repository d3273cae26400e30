using System.Buffers.Binary;

namespace Tastebuds.Worker.Database;

/// <summary>
/// Rows written straight in PostgreSQL's binary COPY format (the signature and header, then per row a field count and
/// each field as a length and its bytes in network order, then the trailer: "COPY", "Binary Format" in the PostgreSQL
/// manual) into a buffer that goes out to the COPY's stream when it is nearly full. Npgsql's
/// <c>NpgsqlBinaryImporter</c> does the same with a checked, converted call per value; for the 15 million rows of
/// <c>user_similarities</c> at 100,000 users that call cost the worker about as much CPU as the server's side of the
/// COPY. Only the types the result tables use are here; the caller writes the fields in the table's column order.
/// </summary>
public sealed class BinaryCopyRows
{
    /// <summary>"PGCOPY\n\377\r\n\0".</summary>
    private static readonly byte[] Signature = [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

    /// <summary>PostgreSQL's epoch (2000-01-01 UTC), which timestamptz counts microseconds from.</summary>
    private static readonly long PostgresEpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    private const int BufferSize = 1 << 18;

    /// <summary>PostgreSQL's type OIDs of the array elements written here (pg_type; fixed since the catalog's start).</summary>
    private const int Int2Oid = 21;
    private const int Int8Oid = 20;
    private const int Float4Oid = 700;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[BufferSize];
    private int _at;

    public BinaryCopyRows(Stream stream)
    {
        _stream = stream;
        Signature.CopyTo(_buffer, 0);
        _at = Signature.Length;
        Put32(0); // flags: no OIDs
        Put32(0); // header extension: none
    }

    /// <summary>Starts a row of <paramref name="fields"/> fields.</summary>
    public void StartRow(short fields)
    {
        Ensure(2);
        Put16(fields);
    }

    public void Int4(int value)
    {
        Ensure(8);
        Put32(4);
        Put32(value);
    }

    public void Bigint(long value)
    {
        Ensure(12);
        Put32(8);
        Put64(value);
    }

    public void Int2(short value)
    {
        Ensure(6);
        Put32(2);
        Put16(value);
    }

    public void Float4(float value)
    {
        Ensure(8);
        Put32(4);
        PutSingle(value);
    }

    public void Float4(float? value)
    {
        if (value is { } v)
        {
            Float4(v);
        }
        else
        {
            Null();
        }
    }

    /// <summary>A text value given as its UTF-8 bytes (encode once, write many times).</summary>
    public void Text(ReadOnlySpan<byte> utf8)
    {
        Ensure(4 + utf8.Length);
        Put32(utf8.Length);
        utf8.CopyTo(_buffer.AsSpan(_at));
        _at += utf8.Length;
    }

    /// <summary>A text value, encoded as UTF-8 straight into the buffer.</summary>
    public void Text(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Ensure(4 + System.Text.Encoding.UTF8.GetMaxByteCount(value.Length));
        var length = System.Text.Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_at + 4));
        Put32(length);
        _at += length;
    }

    public void TimestampTz(DateTimeOffset value)
    {
        Ensure(12);
        Put32(8);
        Put64((value.UtcTicks - PostgresEpochTicks) / (TimeSpan.TicksPerMillisecond / 1000));
    }

    public void Null()
    {
        Ensure(4);
        Put32(-1);
    }

    /// <summary>A one-dimensional smallint[] without NULLs (an empty one for no elements).</summary>
    public void Int2Array(ReadOnlySpan<short> values)
    {
        ArrayHeader(values.Length, Int2Oid, 2);
        foreach (var v in values)
        {
            Put32(2);
            Put16(v);
        }
    }

    /// <summary>A one-dimensional bigint[] without NULLs.</summary>
    public void Int8Array(ReadOnlySpan<long> values)
    {
        ArrayHeader(values.Length, Int8Oid, 8);
        foreach (var v in values)
        {
            Put32(8);
            Put64(v);
        }
    }

    /// <summary>A one-dimensional real[] without NULLs.</summary>
    public void Float4Array(ReadOnlySpan<float> values)
    {
        ArrayHeader(values.Length, Float4Oid, 4);
        foreach (var v in values)
        {
            Put32(4);
            PutSingle(v);
        }
    }

    /// <summary>
    /// The field's length, then the array's header (dimensions, no NULLs, the element type, and for one dimension its
    /// length and lower bound 1), with room made for the elements that follow, each a length and a value.
    /// </summary>
    private void ArrayHeader(int count, int elementOid, int elementSize)
    {
        var dimensions = count == 0 ? 0 : 1;
        var body = 12 + (dimensions * 8) + (count * (4 + elementSize));
        Ensure(4 + body);
        Put32(body);
        Put32(dimensions);
        Put32(0);
        Put32(elementOid);
        if (dimensions == 1)
        {
            Put32(count);
            Put32(1);
        }
    }

    /// <summary>Writes the trailer and sends what is left; the COPY ends when its stream is disposed.</summary>
    public void Complete()
    {
        Ensure(2);
        Put16(-1);
        Flush();
    }

    /// <summary>Sends the buffer first when fewer than <paramref name="bytes"/> are free (a larger value gets a larger buffer).</summary>
    private void Ensure(int bytes)
    {
        if (_at + bytes <= _buffer.Length)
        {
            return;
        }

        Flush();
        if (bytes > _buffer.Length)
        {
            _buffer = new byte[bytes];
        }
    }

    private void Put32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_at), value);
        _at += 4;
    }

    private void Put16(short value)
    {
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_at), value);
        _at += 2;
    }

    private void Put64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_at), value);
        _at += 8;
    }

    private void PutSingle(float value)
    {
        BinaryPrimitives.WriteSingleBigEndian(_buffer.AsSpan(_at), value);
        _at += 4;
    }

    private void Flush()
    {
        _stream.Write(_buffer, 0, _at);
        _at = 0;
    }
}
