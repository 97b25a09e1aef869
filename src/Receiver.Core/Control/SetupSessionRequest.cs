using Receiver.Core.Plist;

namespace Receiver.Core.Control;

/// <summary>
/// The session part of a <c>SETUP</c>: the FairPlay-wrapped AES key (<c>ekey</c>, 72 bytes), the audio IV
/// (<c>eiv</c>, 16 bytes), the sender's UDP timing port and who the sender is.
/// </summary>
/// <param name="TimingPort">The sender's timing port; 0 when absent or not a port number (no timing exchanges).</param>
public sealed record SetupSessionRequest(
    ReadOnlyMemory<byte> EncryptedKey,
    ReadOnlyMemory<byte> Iv,
    int TimingPort,
    string? TimingProtocol,
    string? DeviceId,
    string? Name,
    string? Model,
    string? OsName,
    string? OsVersion,
    string? SourceVersion)
{
    /// <summary>True when the sender asks for PTP timing (AirPlay 2), which this receiver does not serve.</summary>
    public bool WantsPtp => string.Equals(TimingProtocol, "PTP", StringComparison.OrdinalIgnoreCase);

    /// <summary>Length of <c>ekey</c>.</summary>
    public const int EncryptedKeyLength = 72;

    /// <summary>Length of <c>eiv</c>.</summary>
    public const int IvLength = 16;

    /// <summary>Reads the session part; throws <see cref="PlistFormatException"/> naming the missing or malformed key.</summary>
    public static SetupSessionRequest Parse(PlistDict body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var ekey = body.GetData("ekey");
        if (ekey.Length != EncryptedKeyLength)
        {
            throw new PlistFormatException($"'ekey' has {ekey.Length} bytes, expected {EncryptedKeyLength}");
        }

        var eiv = body.GetData("eiv");
        if (eiv.Length != IvLength)
        {
            throw new PlistFormatException($"'eiv' has {eiv.Length} bytes, expected {IvLength}");
        }

        var timingPort = body.TryGetValue("timingPort", out var port) && port is PlistInteger portValue && portValue.Value >= 1 && portValue.Value <= 65535
            ? (int)portValue.Value
            : 0;
        var timingProtocol = body.TryGetValue("timingProtocol", out var protocol) && protocol is PlistString protocolName ? protocolName.Value : null;

        return new SetupSessionRequest(
            ekey,
            eiv,
            timingPort,
            timingProtocol,
            body.GetOptionalString("deviceID"),
            body.GetOptionalString("name"),
            body.GetOptionalString("model"),
            body.GetOptionalString("osName"),
            body.GetOptionalString("osVersion"),
            body.GetOptionalString("sourceVersion"));
    }
}
