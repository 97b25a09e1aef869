using System.Globalization;
using Receiver.Core.Plist;

namespace Receiver.Core.Legacy;

/// <summary>
/// The binary plist of a legacy <c>POST /stream</c>: who is sending and, optionally, the FairPlay-wrapped AES key
/// (<c>param1</c>, 72 bytes) and the IV (<c>param2</c>, 16 bytes). Without them the stream is plain.
/// </summary>
public sealed record LegacyStreamRequest(
    ulong DeviceId,
    long SessionId,
    string? Version,
    long? LatencyMs,
    ReadOnlyMemory<byte>? Param1,
    ReadOnlyMemory<byte>? Param2)
{
    public const int Param1Length = 72;
    public const int Param2Length = 16;

    public bool Encrypted => Param1 is not null;

    /// <summary>The device id as a MAC address, <c>A4:D1:D2:80:0B:68</c>.</summary>
    public string DeviceAddress
    {
        get
        {
            Span<byte> bytes = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, DeviceId);
            return string.Join(':', bytes[2..].ToArray().Select(b => b.ToString("X2", CultureInfo.InvariantCulture)));
        }
    }

    /// <summary>Reads and checks the plist; throws <see cref="PlistFormatException"/> with the reason.</summary>
    public static LegacyStreamRequest Parse(ReadOnlySpan<byte> body)
    {
        var dict = BinaryPlist.Read(body) as PlistDict ?? throw new PlistFormatException("POST /stream body is not a dictionary");
        var param1 = dict.GetOptionalData("param1");
        var param2 = dict.GetOptionalData("param2");
        if (param1 is { Length: not Param1Length })
        {
            throw new PlistFormatException($"'param1' has {param1.Value.Length} bytes, expected {Param1Length}");
        }

        if (param2 is { Length: not Param2Length })
        {
            throw new PlistFormatException($"'param2' has {param2.Value.Length} bytes, expected {Param2Length}");
        }

        if ((param1 is null) != (param2 is null))
        {
            throw new PlistFormatException("'param1' and 'param2' must come together");
        }

        var deviceId = dict.TryGetValue("deviceID", out var id) && id is PlistInteger idValue ? idValue.AsUInt64Reinterpret() : 0;
        return new LegacyStreamRequest(
            deviceId,
            dict.GetOptionalInt64("sessionID") ?? 0,
            dict.GetOptionalString("version"),
            dict.GetOptionalInt64("latencyMs"),
            param1,
            param2);
    }

    /// <summary>The plist a sender posts (used by the sender simulator).</summary>
    public PlistDict ToPlist()
    {
        var dict = new PlistDict
        {
            ["deviceID"] = DeviceId,
            ["sessionID"] = SessionId,
            ["version"] = Version ?? "130.16",
            ["latencyMs"] = LatencyMs ?? 90,
            ["fpsInfo"] = new PlistArray(new[] { "SubS", "B4En", "EnDp", "IdEn", "IdDp", "EQDp", "QueF", "Sent" }.Select(n => (PlistValue)new PlistDict { ["name"] = n })),
            ["timestampInfo"] = new PlistArray(new[] { "SubSu", "BePxT", "AfPxT", "BefEn", "EmEnc", "QueFr", "SndFr" }.Select(n => (PlistValue)new PlistDict { ["name"] = n })),
        };
        if (Param1 is { } p1 && Param2 is { } p2)
        {
            dict["param1"] = p1.ToArray();
            dict["param2"] = p2.ToArray();
        }

        return dict;
    }
}
