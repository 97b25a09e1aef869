namespace Receiver.Sender.Sessions;

/// <summary>The receiver answered something the sender cannot continue with; the message says what.</summary>
public sealed class SenderProtocolException : Exception
{
    public SenderProtocolException()
    {
    }

    public SenderProtocolException(string message)
        : base(message)
    {
    }

    public SenderProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
