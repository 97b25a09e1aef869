using Receiver.Core.Discovery;
using Receiver.Core.Plist;

namespace Receiver.Core.Sessions;

/// <summary>Builds the <c>GET /info</c> capability dictionary a current iPhone expects.</summary>
public static class InfoResponse
{
    private const long AudioFormatsMask = 0x3FFFFFC;

    public static PlistDict Build(ReceiverSettings settings)
    {
        var display = settings.Display;
        var displays = new PlistArray(new PlistDict
        {
            ["uuid"] = display.Uuid,
            ["widthPhysical"] = 0,
            ["heightPhysical"] = 0,
            ["width"] = display.Width,
            ["height"] = display.Height,
            ["widthPixels"] = display.Width,
            ["heightPixels"] = display.Height,
            ["rotation"] = false,
            ["refreshRate"] = 1.0 / display.RefreshRate,
            ["maxFPS"] = display.MaxFps,
            ["overscanned"] = display.Overscanned,
            ["features"] = 14,
        });

        return new PlistDict
        {
            ["deviceID"] = settings.DeviceId,
            ["macAddress"] = settings.DeviceId,
            ["pk"] = settings.PublicKey.ToArray(),
            ["features"] = settings.Features,
            ["name"] = settings.Name,
            ["pi"] = settings.PairingIdentityUuid,
            ["vv"] = 2,
            ["statusFlags"] = StatusFlags(settings),
            ["keepAliveLowPower"] = 1,
            ["sourceVersion"] = settings.SourceVersion,
            ["keepAliveSendStatsAsBody"] = true,
            ["model"] = settings.Model,
            ["initialVolume"] = settings.InitialVolume,
            ["audioLatencies"] = new PlistArray(AudioLatency(100), AudioLatency(101)),
            ["audioFormats"] = new PlistArray(AudioFormat(100), AudioFormat(101)),
            ["displays"] = displays,
        };
    }

    /// <summary>The reply to <c>GET /info</c> with a <c>qualifier</c> list: the raw DNS TXT rdata of each named service.</summary>
    public static PlistDict BuildQualified(ReceiverSettings settings, IEnumerable<string> qualifiers)
    {
        var service = ServiceInfo(settings);
        var reply = new PlistDict();
        foreach (var qualifier in qualifiers)
        {
            switch (qualifier)
            {
                case "txtAirPlay":
                    reply["txtAirPlay"] = AirPlayTxtRecords.ToRdata(AirPlayTxtRecords.ForAirPlay(service));
                    break;
                case "txtRAOP":
                    reply["txtRAOP"] = AirPlayTxtRecords.ToRdata(AirPlayTxtRecords.ForRaop(service));
                    break;
            }
        }

        return reply;
    }

    /// <summary>
    /// The <c>statusFlags</c> of <c>/info</c>, the same bits as the <c>sf</c> TXT flags: 0x4 (bit 2, "audio cable
    /// attached", what every receiver sets), plus 0x88 with a PIN (bit 3 PIN required, bit 7 password required) or
    /// 0x80 with a password. Bit 6 (play from iCloud) is not set: nothing here plays from the cloud.
    /// </summary>
    public static int StatusFlags(ReceiverSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var flags = 0x4;
        if (settings.PinRequired)
        {
            flags |= 0x88;
        }
        else if (settings.PasswordRequired)
        {
            flags |= 0x80;
        }

        return flags;
    }

    /// <summary>The advertised service description of this receiver, shared by mDNS and <c>/info</c>.</summary>
    public static AirPlayServiceInfo ServiceInfo(ReceiverSettings settings) =>
        new(settings.Name, settings.DeviceId, settings.Features, settings.PublicKey, settings.ControlPort, settings.Model, settings.SourceVersion, settings.PasswordRequired, settings.PinRequired);

    private static PlistDict AudioLatency(int type) => new()
    {
        ["type"] = type,
        ["audioType"] = "default",
        ["inputLatencyMicros"] = 0,
        ["outputLatencyMicros"] = false,
    };

    private static PlistDict AudioFormat(int type) => new()
    {
        ["type"] = type,
        ["audioInputFormats"] = AudioFormatsMask,
        ["audioOutputFormats"] = AudioFormatsMask,
    };
}
