namespace Receiver.Core.Plist;

/// <summary>
/// A property list is malformed, exceeds a <see cref="PlistLimits"/> cap, or does not have the shape a caller
/// expects (missing key, wrong type, integer out of range).
/// </summary>
public sealed class PlistFormatException : FormatException
{
    /// <summary>Creates the exception with a default message.</summary>
    public PlistFormatException()
        : base("Malformed property list.")
    {
    }

    /// <summary>Creates the exception with a message that names the problem.</summary>
    public PlistFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public PlistFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
