using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Access;
using Receiver.Core.Pairing;
using Receiver.Core.Plist;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Access;

/// <summary>
/// <c>pair-setup-pin</c> from a hostile client on the control port: truncated, oversized, out of order, A = 0 and
/// A = N, and random mutations of each of the three steps. Every one gets a refusal (never a 5xx, a hang or a crash),
/// and the receiver goes on pairing and serving an honest sender from another address.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class PinPairingHostileInputTests(ITestOutputHelper output)
{
    private const string Pin = "4821";
    private const string User = "AA:BB:CC:00:00:0F";
    private const string PlistType = "application/x-apple-binary-plist";
    private static readonly int[] Refusals = [400, 403, 455, 470];

    [FfmpegFact]
    public async Task HostileSteps_AreRefused_AndAnHonestSenderStillPairsAndMirrors()
    {
        await using var host = await ReceiverHost.StartAsync(
            services => services.AddSingleton(new PinBoard(TimeProvider.System, new FixedPinSource(Pin))), "--Receiver:Access:Mode=pin");
        var fuzzer = new Fuzzer(host.ControlPort);
        await using (fuzzer)
        {
            // Out of order: a step before pair-pin-start, step 2 or 3 before step 1.
            Assert.Equal(455, await fuzzer.SendAsync(Step1(NewClient())));
            await fuzzer.StartAsync();
            var client = NewClient();
            Assert.Equal(455, await fuzzer.SendAsync(BinaryPlist.Write(new PlistDict { ["pk"] = new byte[256], ["proof"] = new byte[20] })));
            Assert.Equal(455, await fuzzer.SendAsync(BinaryPlist.Write(new PlistDict { ["epk"] = new byte[32], ["authTag"] = new byte[16] })));

            // Truncated and oversized bodies.
            var step1 = Step1(client);
            Assert.Equal(400, await fuzzer.SendAsync(step1[..(step1.Length / 2)]));
            Assert.Equal(400, await fuzzer.SendAsync([.. step1, .. new byte[70_000]]));
            Assert.Equal(400, await fuzzer.SendAsync([]));

            // A = 0 and A = N (≡ 0 mod N): the classic SRP attacks that make the session key predictable.
            var n = SrpGroup.Rfc5054Group2048.N.ToByteArray(isUnsigned: true, isBigEndian: true);
            foreach (var a in new[] { new byte[256], n, (SrpGroup.Rfc5054Group2048.N * 2).ToByteArray(isUnsigned: true, isBigEndian: true) })
            {
                Assert.Equal(200, await fuzzer.SendAsync(Step1(client = NewClient())));
                var status = await fuzzer.SendAsync(BinaryPlist.Write(new PlistDict { ["pk"] = a, ["proof"] = new byte[20] }));
                Assert.Contains(status, Refusals);
            }

            // Random mutations of each step, each after the honest steps before it.
            var random = new Random(1357);
            var counts = new Dictionary<int, Dictionary<int, int>>();
            foreach (var (step, mutations) in new[] { (1, 400), (2, 150), (3, 150) })
            {
                counts[step] = [];
                for (var i = 0; i < mutations; i++)
                {
                    var body = await fuzzer.HonestUpToAsync(step, NewClient);
                    var status = await fuzzer.SendAsync(Mutate(body, random));
                    Assert.True(status is 200 or 400 or 403 or 455 or 470, $"step {step} mutation {i}: {status}");
                    counts[step][status] = counts[step].GetValueOrDefault(status) + 1;
                }
            }

            foreach (var (step, statuses) in counts)
            {
                output.WriteLine($"step {step}: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value}× {s.Key}")));
            }

            output.WriteLine($"{fuzzer.Addresses} client addresses used (five wrong PINs lock an address out)");
        }

        // An honest sender from another address pairs with the PIN shown and mirrors with sound.
        using var temp = new SenderTempDirectory("pin-hostile");
        var (_, clip) = await H264Clip.WriteFilesAsync(temp.Path, 320, 180, 1);
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var result = await new AirPlaySenderSession(new SenderOptions
        {
            Host = "127.0.0.1",
            Port = host.ControlPort,
            Video = VideoSourceSpec.ForFile(clip, 30),
            Fast = true,
            Audio = true,
            FairPlayFile = SenderTestMedia.FairPlayFile,
            AudioFramesFile = SenderTestMedia.AudioFrames,
            DeviceId = "AA:BB:CC:00:00:10",
            Pin = SenderPin.Parse(Pin),
        }).RunAsync(cts.Token);
        Assert.True(result.Ok, result.Error);
    }

    [Fact]
    public async Task PinPairings_OnOneConnection_AreCapped()
    {
        await using var host = await ReceiverHost.StartAsync(
            services => services.AddSingleton(new PinBoard(TimeProvider.System, new FixedPinSource(Pin))), "--Receiver:Access:Mode=pin");
        await using var client = await RawRtspClient.ConnectAsync(host.ControlPort);
        var cseq = 1;
        Assert.Equal(200, (await client.SendRequestAsync("POST", "/pair-pin-start", cseq++)).Status);
        for (var i = 0; i < PinPairingSession.MaxAttemptsPerConnection; i++)
        {
            Assert.Equal(200, (await client.SendRequestAsync("POST", "/pair-setup-pin", cseq++, Step1(NewClient()), PlistType)).Status);
        }

        Assert.Equal(403, (await client.SendRequestAsync("POST", "/pair-setup-pin", cseq, Step1(NewClient()), PlistType)).Status);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
    }

    private static PinPairingClient NewClient() => new(User, Pin, PairingIdentity.CreateRandom(), RandomNumberGenerator.Create());

    private static byte[] Step1(PinPairingClient client) => client.CreateStep1Request();

    private static byte[] Mutate(byte[] body, Random random)
    {
        var bytes = new List<byte>(body);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits && bytes.Count > 0; e++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    bytes.RemoveAt(at);
                    break;
                default:
                    bytes.Insert(at, (byte)random.Next(256));
                    break;
            }
        }

        return [.. bytes];
    }

    /// <summary>One hostile client: reconnects when the receiver closes, and moves to the next loopback address when locked out.</summary>
    private sealed class Fuzzer(int port) : IAsyncDisposable
    {
        private RawRtspClient? _client;
        private int _cseq;
        private int _address = 2;

        public int Addresses => _address - 1;

        public async Task StartAsync()
        {
            var status = await RequestAsync("/pair-pin-start", null);
            if (status == 403)
            {
                await NextAddressAsync();
                status = await RequestAsync("/pair-pin-start", null);
            }

            Assert.Equal(200, status);
        }

        /// <summary>Runs the honest steps before <paramref name="step"/> on a fresh pairing and returns that step's honest body.</summary>
        public async Task<byte[]> HonestUpToAsync(int step, Func<PinPairingClient> newClient)
        {
            while (true)
            {
                var client = newClient();
                var body = client.CreateStep1Request();
                var ok = true;
                for (var s = 1; s < step && ok; s++)
                {
                    var reply = await SendForReplyAsync(body);
                    if (reply is null)
                    {
                        ok = false;
                        break;
                    }

                    body = s == 1 ? client.ProcessStep1Response(reply) : client.ProcessStep2Response(reply);
                }

                if (ok)
                {
                    return body;
                }
            }
        }

        /// <summary>Sends one step and returns its status, starting over (reconnect, new address, pair-pin-start) when needed.</summary>
        public async Task<int> SendAsync(byte[] body)
        {
            var status = await RequestAsync("/pair-setup-pin", body);
            if (status is 403 or 0)
            {
                await ReconnectAsync(status == 403);
            }

            return status == 0 ? 400 : status;
        }

        public async ValueTask DisposeAsync()
        {
            if (_client is not null)
            {
                await _client.DisposeAsync();
            }
        }

        private async Task<byte[]?> SendForReplyAsync(byte[] body)
        {
            if (_client is null)
            {
                await ReconnectAsync(lockedOut: false);
            }

            var response = await SafeRequestAsync("/pair-setup-pin", body);
            if (response?.Status == 200)
            {
                return response.Body;
            }

            await ReconnectAsync(response?.Status == 403);
            return null;
        }

        private async Task<int> RequestAsync(string path, byte[]? body)
        {
            _client ??= await RawRtspClient.ConnectAsync(port, Address());
            return (await SafeRequestAsync(path, body))?.Status ?? 0;
        }

        private async Task<RawResponse?> SafeRequestAsync(string path, byte[]? body)
        {
            try
            {
                return await _client!.SendRequestAsync("POST", path, ++_cseq, body, body is null ? null : PlistType);
            }
            catch (IOException)
            {
                return null;
            }
        }

        private async Task ReconnectAsync(bool lockedOut)
        {
            if (lockedOut)
            {
                _address++;
            }

            if (_client is not null)
            {
                await _client.DisposeAsync();
                _client = null;
            }

            await StartAsync();
        }

        private async Task NextAddressAsync() => await ReconnectAsync(lockedOut: true);

        private IPAddress Address() => new([127, 0, 1, (byte)_address]);
    }
}
