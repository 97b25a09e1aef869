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

    private RtspRequestReadState _state;

    /// <summary>How many request heads this reader has parsed; one per request however the bytes arrive.</summary>
    internal int HeadsParsed => _state.HeadsParsed;

    /// <inheritdoc />
    /// <exception cref="RtspProtocolException">The request is malformed or over a limit; carries the request's CSeq when its head has one.</exception>
    public bool TryParseMessage(in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, [MaybeNullWhen(false)] out RtspRequest message) =>
        TryParse(ref _state, limits, input, ref consumed, ref examined, out message);

    /// <summary>The reader's work on state the caller keeps (a reader's field, or a local for a one-shot parse).</summary>
    internal static bool TryParse(ref RtspRequestReadState state, RtspLimits limits, in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, [MaybeNullWhen(false)] out RtspRequest message)
    {
        message = null;
        if (state.Head is null && !TryReadHead(ref state, limits, input))
        {
            examined = input.End;
            return false;
        }

        var head = state.Head!.Value;
        var length = state.HeadLength + head.ContentLength;
        if (input.Length < length)
        {
            examined = input.End;
            return false;
        }

        var body = head.ContentLength == 0 ? ReadOnlyMemory<byte>.Empty : input.Slice(state.HeadLength, head.ContentLength).ToArray();
        consumed = input.GetPosition(length);
        examined = consumed;
        message = new RtspRequest(head.Method, head.Target, head.Protocol, head.Headers, body);
        state.Reset();
        return true;
    }

    private static bool TryReadHead(ref RtspRequestReadState state, RtspLimits limits, in ReadOnlySequence<byte> input)
    {
        // Cap before scanning: the blank line must end within the head limit, so nothing past it is searched.
        var window = input.Length > limits.MaxHeadBytes ? input.Slice(0, limits.MaxHeadBytes) : input;
        var reader = new SequenceReader<byte>(window);
        reader.Advance(Math.Clamp(state.Searched - (HeadTerminator.Length - 1), 0, window.Length));
        if (!reader.TryReadTo(out ReadOnlySequence<byte> _, HeadTerminator, advancePastDelimiter: true))
        {
            if (input.Length > limits.MaxHeadBytes)
            {
                state.Reset();
                throw new RtspProtocolException(RtspErrorReason.HeaderTooLarge, $"request head exceeds {limits.MaxHeadBytes} bytes");
            }

            state.Searched = window.Length;
            return false;
        }

        var headLength = reader.Consumed;
        try
        {
            state.Head = RtspRequestParser.ParseHead(window.Slice(0, headLength - HeadTerminator.Length), limits);
        }
        catch (RtspProtocolException)
        {
            state.Reset();
            throw;
        }

        state.HeadLength = headLength;
        state.HeadsParsed++;
        return true;
    }
}
