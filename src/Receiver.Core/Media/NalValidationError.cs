namespace Receiver.Core.Media;

/// <summary>Why the length-prefixed NAL units of an access unit do not chain (a wrongly decrypted frame fails one of these).</summary>
public enum NalValidationError
{
    /// <summary>The NAL units chain exactly to the end of the data.</summary>
    None,

    /// <summary>Trailing bytes are too short to hold a NAL length.</summary>
    TruncatedLength,

    /// <summary>A NAL length is zero.</summary>
    ZeroLength,

    /// <summary>A NAL length runs past the end of the data.</summary>
    LengthOverrun,

    /// <summary>A NAL header has its forbidden_zero_bit set.</summary>
    ForbiddenBitSet,
}
