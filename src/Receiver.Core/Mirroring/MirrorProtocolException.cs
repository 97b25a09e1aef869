namespace Receiver.Core.Mirroring;

/// <summary>The mirror data stream is malformed; the stream connection is closed.</summary>
public sealed class MirrorProtocolException : Exception
{
    /// <summary>Creates the exception with its reason.</summary>
    public MirrorProtocolException(MirrorProtocolError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>What was wrong.</summary>
    public MirrorProtocolError Error { get; }
}
