namespace Receiver.Sender.Sessions;

/// <summary>The receiver answered a request with a non-2xx status.</summary>
public sealed class SenderStatusException : Exception
{
    public SenderStatusException()
    {
    }

    public SenderStatusException(string message)
        : base(message)
    {
    }

    public SenderStatusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SenderStatusException(int status, string message)
        : base(message)
    {
        Status = status;
    }

    public int Status { get; }
}
