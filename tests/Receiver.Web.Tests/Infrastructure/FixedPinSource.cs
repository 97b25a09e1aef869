using System.Globalization;
using System.Security.Cryptography;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>
/// A random source whose every PIN is <paramref name="pin"/>: the receiver's PIN board draws four bytes, read as a
/// little-endian number modulo 10,000. Tests give it to a <c>PinBoard</c> to know the PIN a sender must type.
/// </summary>
public sealed class FixedPinSource(string pin) : RandomNumberGenerator
{
    public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

    public override void GetBytes(Span<byte> data)
    {
        data.Clear();
        BitConverter.TryWriteBytes(data, uint.Parse(pin, CultureInfo.InvariantCulture));
    }
}
