namespace Receiver.Core.FairPlay;

/// <summary>A FairPlay setup message or key blob that cannot be processed.</summary>
public sealed class FairPlayException : Exception
{
    /// <summary>Creates an exception with a message describing what was wrong.</summary>
    public FairPlayException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a generic message.</summary>
    public FairPlayException()
        : base("FairPlay error.")
    {
    }

    /// <summary>Creates an exception wrapping an inner exception.</summary>
    public FairPlayException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
