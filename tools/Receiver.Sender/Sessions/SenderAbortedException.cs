namespace Receiver.Sender.Sessions;

/// <summary>Unwinds a sender's flow after the planned stop of <see cref="SenderOptions.Abort"/>; not a failure.</summary>
public sealed class SenderAbortedException : Exception
{
    public SenderAbortedException()
        : base("The sender stopped as planned.")
    {
    }

    public SenderAbortedException(string message)
        : base(message)
    {
    }

    public SenderAbortedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
