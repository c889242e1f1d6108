// This file is part of ExchangeHub.

using ExchangeHub.Contracts.V1;
using ExchangeHub.Core.Ledger;
using Google.Protobuf;
using Grpc.Core;

namespace ExchangeHub.Server.Grpc;

/// <summary>
/// A write-only stream that sends what is written to it as <see cref="ExportDisclosuresResponse"/> chunks of
/// exactly <see cref="DisclosureExport.MaxChunkSize"/> bytes (64 KiB), the last one shorter. Flushing sends
/// nothing: chunk boundaries need not align with records, and full chunks keep the message count low.
/// <see cref="CompleteAsync"/> sends the rest. Writing waits for the client to take each chunk (gRPC flow
/// control), so a slow reader slows the export down instead of filling memory.
/// </summary>
internal sealed class ExportChunkStream(IServerStreamWriter<ExportDisclosuresResponse> responses) : Stream
{
    private readonly byte[] _buffer = new byte[DisclosureExport.MaxChunkSize];
    private int _filled;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>Sends the bytes written since the last full chunk, if any.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_filled > 0)
        {
            await SendAsync(cancellationToken);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (buffer.Length > 0)
        {
            var take = Math.Min(buffer.Length, _buffer.Length - _filled);
            buffer.Span[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            buffer = buffer[take..];
            if (_filled == _buffer.Length)
            {
                await SendAsync(cancellationToken);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    // The export writes asynchronously only; a synchronous write would block a thread on the network.
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Write asynchronously.");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        await responses.WriteAsync(new ExportDisclosuresResponse { Chunk = ByteString.CopyFrom(_buffer, 0, _filled) }, cancellationToken);
        _filled = 0;
    }
}
