namespace Receiver.Core.Pairing;

/// <summary>A pair-setup or pair-verify message was refused. The connection answers 470 and closes.</summary>
public sealed class PairingException : Exception
{
    /// <summary>Creates the exception with its reason.</summary>
    public PairingException(PairingFailure reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Creates the exception with its reason and cause.</summary>
    public PairingException(PairingFailure reason, string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the message was refused.</summary>
    public PairingFailure Reason { get; }
}
