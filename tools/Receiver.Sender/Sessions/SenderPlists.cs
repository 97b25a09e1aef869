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
        BinaryPlist.Write(KeysSetupDict(ekey, eiv, deviceId, name, sessionUuid, timingPort));

    /// <summary>The simulator's generic first SETUP (no <c>--profile</c>).</summary>
    public static PlistDict KeysSetupDict(byte[] ekey, byte[] eiv, string deviceId, string name, string sessionUuid, int timingPort) =>
        new()
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
        };

    /// <summary>
    /// Sets the SETUP's timing keys for <paramref name="timingProtocol"/>: NTP keeps the timing port; PTP (AirPlay 2)
    /// names the sender's address in <c>timingPeerInfo</c> instead; None drops the port.
    /// </summary>
    public static PlistDict WithTiming(PlistDict setup, string timingProtocol, string senderAddress)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var ntp = string.Equals(timingProtocol, "NTP", StringComparison.OrdinalIgnoreCase);
        var result = new PlistDict(setup.Where(p => ntp || p.Key != "timingPort"))
        {
            ["timingProtocol"] = timingProtocol,
        };
        if (string.Equals(timingProtocol, "PTP", StringComparison.OrdinalIgnoreCase))
        {
            result["timingPeerInfo"] = new PlistDict { ["Addresses"] = new PlistArray(senderAddress), ["ID"] = senderAddress };
        }

        return result;
    }

    /// <summary>A remote-control-only SETUP (the AirPlay 2 control channel, as pyatv and Macs send it): no keys, no timing.</summary>
    public static byte[] RemoteControlSetup(string deviceId, string name, string sessionUuid) =>
        BinaryPlist.Write(new PlistDict
        {
            ["isRemoteControlOnly"] = true,
            ["timingProtocol"] = "None",
            ["deviceID"] = deviceId,
            ["macAddress"] = deviceId,
            ["model"] = "iPhone15,2",
            ["name"] = name,
            ["osName"] = "iPhone OS",
            ["osVersion"] = "17.5.1",
            ["sourceVersion"] = "550.10",
            ["sessionUUID"] = sessionUuid,
        });

    /// <summary>A FairPlay v2 setup message as <c>POST /fp-setup2</c> carries it: <c>FPLY</c>, version 2, type 1.</summary>
    public static byte[] FairPlayV2Setup() => [0x46, 0x50, 0x4C, 0x59, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00];

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
