using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Receiver.Core.Protocols;

namespace Receiver.Core.Rtsp;

/// <summary>
/// Reads control requests (RTSP/1.0 and HTTP/1.x syntax) from one connection's bytes as they arrive. What it learnt
/// about a partly received request is kept between reads: the search for the blank line resumes where it stopped,
/// and once the head is parsed only the body's length is awaited, so a large body arriving in many reads costs one
/// head parse. Both limits are applied before any byte past them is looked at.
/// </summary>
public sealed class RtspRequestReader(RtspLimits limits) : IMessageReader<RtspRequest>
{
    private static ReadOnlySpan<byte> HeadTerminator => "\r\n\r\n"u8;

    private long _searched;
    private long _headLength;
    private RtspRequestHead? _head;

    /// <summary>How many request heads this reader has parsed; one per request however the bytes arrive.</summary>
    internal int HeadsParsed { get; private set; }

    /// <inheritdoc />
    /// <exception cref="RtspProtocolException">The request is malformed or over a limit; carries the request's CSeq when its head has one.</exception>
    public bool TryParseMessage(in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, [MaybeNullWhen(false)] out RtspRequest message)
    {
        message = null;
        if (_head is null && !TryReadHead(input))
        {
            examined = input.End;
            return false;
        }

        var head = _head!.Value;
        var length = _headLength + head.ContentLength;
        if (input.Length < length)
        {
            examined = input.End;
            return false;
        }

        var body = head.ContentLength == 0 ? ReadOnlyMemory<byte>.Empty : input.Slice(_headLength, head.ContentLength).ToArray();
        consumed = input.GetPosition(length);
        examined = consumed;
        message = new RtspRequest(head.Method, head.Target, head.Protocol, head.Headers, body);
        Reset();
        return true;
    }

    private bool TryReadHead(in ReadOnlySequence<byte> input)
    {
        // Cap before scanning: the blank line must end within the head limit, so nothing past it is searched.
        var window = input.Length > limits.MaxHeadBytes ? input.Slice(0, limits.MaxHeadBytes) : input;
        var reader = new SequenceReader<byte>(window);
        reader.Advance(Math.Clamp(_searched - (HeadTerminator.Length - 1), 0, window.Length));
        if (!reader.TryReadTo(out ReadOnlySequence<byte> _, HeadTerminator, advancePastDelimiter: true))
        {
            if (input.Length > limits.MaxHeadBytes)
            {
                Reset();
                throw new RtspProtocolException(RtspErrorReason.HeaderTooLarge, $"request head exceeds {limits.MaxHeadBytes} bytes");
            }

            _searched = window.Length;
            return false;
        }

        var headLength = reader.Consumed;
        try
        {
            _head = RtspRequestParser.ParseHead(window.Slice(0, headLength - HeadTerminator.Length), limits);
        }
        catch (RtspProtocolException)
        {
            Reset();
            throw;
        }

        _headLength = headLength;
        HeadsParsed++;
        return true;
    }

    private void Reset()
    {
        _searched = 0;
        _headLength = 0;
        _head = null;
    }
}
