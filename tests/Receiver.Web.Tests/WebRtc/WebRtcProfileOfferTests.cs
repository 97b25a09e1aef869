using System.Text.Json;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>
/// A phone's screen is H.264 High profile, and Janus offers the stream's own profile-level-id. This Chromium (software
/// decoding) lists no High profile for WebRTC and rejects such a video section (port 0 in its answer); the page's
/// <c>withDecodableProfile</c> offers Main instead to a browser that lists Main but not the offered profile, and leaves
/// the offer alone otherwise.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class WebRtcProfileOfferTests(ChromiumFixture chromium)
{
    private const string Scenario =
        """
        async () => {
          const { withDecodableProfile, receiverH264Profiles } = await import('/js/player/webrtc-player.js');
          const offer = [
            'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=Mountpoint', 't=0 0', 'a=group:BUNDLE v',
            'a=fingerprint:sha-256 33:E3:CE:E7:51:01:FB:CA:7F:AF:09:C6:62:94:EE:ED:FD:B0:5F:EE:6B:CA:0E:91:64:AA:20:B8:A4:E6:44:B6',
            'm=video 9 UDP/TLS/RTP/SAVPF 96', 'c=IN IP4 127.0.0.1', 'a=sendonly', 'a=mid:v', 'a=rtcp-mux',
            'a=ice-ufrag:HC1V', 'a=ice-pwd:42MOfARP8k1FawpFiypUK5', 'a=setup:actpass', 'a=rtpmap:96 H264/90000',
            'a=fmtp:96 profile-level-id=64001f;packetization-mode=1', 'a=ssrc:174212390 cname:janus', ''].join('\r\n');
          const answerPort = async (sdp) => {
            const pc = new RTCPeerConnection();
            await pc.setRemoteDescription({ type: 'offer', sdp });
            const answer = await pc.createAnswer();
            pc.close();
            return Number(/m=video (\d+)/.exec(answer.sdp)[1]);
          };
          const profiles = receiverH264Profiles();
          const munged = withDecodableProfile(offer, profiles);
          return JSON.stringify({
            profiles,
            munged: /profile-level-id=([0-9a-f]+)/.exec(munged)[1],
            asIsPort: profiles.includes('6400') ? -1 : await answerPort(offer),
            mungedPort: await answerPort(munged),
            listed: /profile-level-id=([0-9a-f]+)/.exec(withDecodableProfile(offer, ['6400', '4d00']))[1],
            noMain: /profile-level-id=([0-9a-f]+)/.exec(withDecodableProfile(offer, ['42e0', '4200']))[1],
            baseline: /profile-level-id=([0-9a-f]+)/.exec(withDecodableProfile(offer.replace('64001f', '42e01f'), ['42e0', '4d00']))[1],
          });
        }
        """;

    [ChromiumFact]
    public async Task HighProfileOffer_BrowserWithoutHigh_IsOfferedMainAndAcceptsTheVideo()
    {
        await using var host = await ReceiverHost.StartAsync();
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, "/").ToString());

        var r = JsonDocument.Parse(await page.EvaluateAsync<string>(Scenario)).RootElement;

        Assert.Contains("4d00", r.GetProperty("profiles").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("4d001f", r.GetProperty("munged").GetString());
        Assert.NotEqual(0, r.GetProperty("mungedPort").GetInt32());
        // Where the browser lacks High, the offer as Janus makes it is rejected: the reason for the rewrite.
        Assert.Contains(r.GetProperty("asIsPort").GetInt32(), new[] { -1, 0 });
        Assert.Equal("64001f", r.GetProperty("listed").GetString());
        Assert.Equal("64001f", r.GetProperty("noMain").GetString());
        Assert.Equal("42e01f", r.GetProperty("baseline").GetString());
        await page.Context.CloseAsync();
    }
}
