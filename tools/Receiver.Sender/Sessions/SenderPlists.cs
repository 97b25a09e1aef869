using Receiver.Core.Plist;

namespace Receiver.Sender.Sessions;

/// <summary>The binary-plist request bodies an iPhone sends during mirroring.</summary>
public static class SenderPlists
{
    public const string ContentType = "application/x-apple-binary-plist";
    public const int VideoStreamType = 110;
    public const int AudioStreamType = 96;

    public static byte[] InfoQualifier() =>
        BinaryPlist.Write(new PlistDict { ["qualifier"] = new PlistArray("txtAirPlay") });

    public static byte[] KeysSetup(byte[] ekey, byte[] eiv, string deviceId, string name, string sessionUuid, int timingPort) =>
        BinaryPlist.Write(new PlistDict
        {
            ["ekey"] = ekey,
            ["eiv"] = eiv,
            ["et"] = 32,
            ["deviceID"] = deviceId,
            ["macAddress"] = deviceId,
            ["model"] = "iPhone15,2",
            ["name"] = name,
            ["osName"] = "iPhone OS",
            ["osVersion"] = "17.5.1",
            ["osBuildVersion"] = "21F90",
            ["sourceVersion"] = "425.1",
            ["sessionUUID"] = sessionUuid,
            ["timingProtocol"] = "NTP",
            ["timingPort"] = timingPort,
            ["isScreenMirroringSession"] = true,
            ["statsCollectionEnabled"] = false,
        });

    /// <summary>The type-110 stream SETUP; the id is written as a signed 8-byte integer, as Apple's senders do.</summary>
    public static byte[] VideoStreamSetup(ulong streamConnectionId) =>
        BinaryPlist.Write(new PlistDict
        {
            ["streams"] = new PlistArray(new PlistDict
            {
                ["type"] = VideoStreamType,
                ["streamConnectionID"] = unchecked((long)streamConnectionId),
                ["timestampInfo"] = new PlistArray(
                    new PlistDict { ["name"] = "SubSu" },
                    new PlistDict { ["name"] = "BePxT" },
                    new PlistDict { ["name"] = "AfPxT" },
                    new PlistDict { ["name"] = "BefEn" },
                    new PlistDict { ["name"] = "EmEnc" }),
            }),
        });

    public static byte[] AudioStreamSetup(int controlPort, int compressionType = 8, int samplesPerFrame = 480) =>
        BinaryPlist.Write(new PlistDict
        {
            ["streams"] = new PlistArray(new PlistDict
            {
                ["type"] = AudioStreamType,
                ["ct"] = compressionType,
                ["spf"] = samplesPerFrame,
                ["audioFormat"] = 0x1000000,
                ["audioMode"] = "default",
                ["controlPort"] = controlPort,
                ["isMedia"] = true,
                ["usingScreen"] = true,
                ["latencyMin"] = 11025,
                ["latencyMax"] = 88200,
                ["redundantAudio"] = 2,
                ["supportsDynamicStreamID"] = true,
            }),
        });

    public static byte[] Teardown(int streamType) =>
        BinaryPlist.Write(new PlistDict { ["streams"] = new PlistArray(new PlistDict { ["type"] = streamType }) });

    /// <summary>Finds the dict for <paramref name="type"/> in a stream SETUP response.</summary>
    public static PlistDict StreamReply(PlistDict response, int type)
    {
        ArgumentNullException.ThrowIfNull(response);
        foreach (var item in response.GetArray("streams"))
        {
            if (item is PlistDict stream && stream.TryGetInt64("type", out var t) && t == type)
            {
                return stream;
            }
        }

        throw new SenderProtocolException($"The SETUP response has no stream of type {type}.");
    }
}
