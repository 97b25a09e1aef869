namespace Receiver.Sender.Sessions;

/// <summary>A step of the sender flow failed; <see cref="Step"/> names it and the message says what the receiver answered.</summary>
public sealed class SenderStepException : Exception
{
    public SenderStepException()
    {
        Step = string.Empty;
    }

    public SenderStepException(string message)
        : base(message)
    {
        Step = string.Empty;
    }

    public SenderStepException(string message, Exception innerException)
        : base(message, innerException)
    {
        Step = string.Empty;
    }

    public SenderStepException(string step, string detail, Exception innerException)
        : base($"step '{step}' failed: {detail}", innerException)
    {
        Step = step;
    }

    public string Step { get; }
}
