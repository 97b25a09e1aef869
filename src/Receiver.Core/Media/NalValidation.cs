namespace Receiver.Core.Media;

/// <summary>
/// The outcome of checking one AVCC/HVCC access unit: how many NAL units it holds, or where and why its lengths
/// stop chaining. A value, so a bad frame on the data path costs no exception.
/// </summary>
/// <param name="Error">Why the access unit is malformed, or <see cref="NalValidationError.None"/>.</param>
/// <param name="Offset">Offset of the offending length prefix (the end of the data when valid).</param>
/// <param name="Count">NAL units read before the end or the error.</param>
/// <param name="Detail">The offending value: remaining bytes for a truncated prefix, the claimed length for an overrun.</param>
/// <param name="Remaining">Bytes left after the length prefix, for an overrun.</param>
public readonly record struct NalValidation(NalValidationError Error, int Offset, int Count, long Detail = 0, int Remaining = 0)
{
    /// <summary>True when the NAL units chain exactly to the end.</summary>
    public bool IsValid => Error == NalValidationError.None;

    /// <summary>A sentence for logs and exceptions.</summary>
    public string Describe() => Error switch
    {
        NalValidationError.None => $"{Count} NAL units.",
        NalValidationError.TruncatedLength => $"{Detail} trailing bytes at offset {Offset} are too short for a NAL length.",
        NalValidationError.ZeroLength => $"Zero-length NAL unit at offset {Offset}.",
        NalValidationError.LengthOverrun => $"NAL unit at offset {Offset} claims {Detail} bytes, only {Remaining} remain.",
        _ => $"NAL unit at offset {Offset} has the forbidden_zero_bit set.",
    };
}
