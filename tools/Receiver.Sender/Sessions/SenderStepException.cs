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

    /// <summary>Throws a step failure whose message and inner protocol error both say <paramref name="detail"/> unless <paramref name="condition"/> holds.</summary>
    public static void ThrowUnless(string step, bool condition, string detail)
    {
        if (!condition)
        {
            throw new SenderStepException(step, detail, new SenderProtocolException(detail));
        }
    }
}
