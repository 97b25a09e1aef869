namespace Receiver.Core.Media;

/// <summary>A video bitstream structure (NAL unit, parameter set, decoder configuration) is malformed or unsupported.</summary>
public sealed class MediaFormatException : FormatException
{
    public MediaFormatException()
    {
    }

    public MediaFormatException(string message)
        : base(message)
    {
    }

    public MediaFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
