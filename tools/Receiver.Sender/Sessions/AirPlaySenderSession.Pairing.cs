using System.Security.Cryptography;
using Receiver.Core.Pairing;
using Receiver.Core.Plist;

namespace Receiver.Sender.Sessions;

/// <summary>
/// Pairing of the simulated sender: legacy <c>/pair-setup</c>, or with <see cref="SenderOptions.Pin"/> the PIN flow
/// (<c>/pair-pin-start</c> and the three <c>/pair-setup-pin</c> steps), then <c>/pair-verify</c> with the sender's
/// long-term key (from <see cref="SenderOptions.IdentityFile"/> when given).
/// </summary>
public sealed partial class AirPlaySenderSession
{
    private const int PairingFeatureBit = 27;
    private const int WrongPinStatus = 470;

    private async Task<byte[]?> PairAsync(PlistDict info, CancellationToken cancellationToken)
    {
        var features = info.TryGetUInt64("features", out var f) ? f : 0;
        var pair = options.Pin is not null
            || options.Pairing == PairingMode.Legacy
            || (options.Pairing == PairingMode.Auto && (features & (1UL << PairingFeatureBit)) != 0);
        if (!pair)
        {
            return null;
        }

        using var identity = options.IdentityFile is { } file ? PairingIdentity.LoadOrCreateFile(file) : PairingIdentity.CreateRandom();
        var receiverKey = options.Pin is { } pin ? await PinPairAsync(identity, pin, cancellationToken) : await PairSetupAsync(identity, cancellationToken);
        var client = new PairVerifyClient(identity, receiverKey);
        var reply1 = (await RequestAsync("pair-verify-1", "POST", "/pair-verify", client.CreatePhase1Request(), OctetStream, null, cancellationToken)).Body;
        byte[] phase2 = [];
        await _steps.RunAsync("pair-verify-check", () =>
        {
            phase2 = client.ProcessPhase1Response(reply1);
            return Task.FromResult(0);
        });
        await RequestAsync("pair-verify-2", "POST", "/pair-verify", phase2, OctetStream, null, cancellationToken);
        return client.SharedSecret.ToArray();
    }

    private async Task<byte[]> PairSetupAsync(PairingIdentity identity, CancellationToken cancellationToken)
    {
        var receiverKey = (await RequestAsync("pair-setup", "POST", "/pair-setup", identity.PublicKey, OctetStream, null, cancellationToken)).Body;
        SenderStepException.ThrowUnless("pair-setup", receiverKey.Length == PairingIdentity.KeyLength, $"expected a {PairingIdentity.KeyLength}-byte public key, got {receiverKey.Length} bytes");
        return receiverKey;
    }

    private async Task<byte[]> PinPairAsync(PairingIdentity identity, SenderPin pin, CancellationToken cancellationToken)
    {
        await RequestAsync("pair-pin-start", "POST", "/pair-pin-start", default, null, null, cancellationToken);
        var digits = pin.Digits ?? await ReadPendingPinAsync(cancellationToken);
        using var random = RandomNumberGenerator.Create();
        var client = new PinPairingClient(_deviceId, digits, identity, random);
        var step2 = await PinStepAsync(1, client.CreateStep1Request(), b => client.ProcessStep1Response(b), digits, cancellationToken);
        var step3 = await PinStepAsync(2, step2, b => client.ProcessStep2Response(b), digits, cancellationToken);
        return await PinStepAsync(3, step3, b => client.ProcessStep3Response(b), digits, cancellationToken);
    }

    /// <summary>Sends one pair-setup-pin step and processes the reply in the same recorded step; 470 is a wrong PIN.</summary>
    private async Task<byte[]> PinStepAsync(int step, byte[] body, Func<byte[], byte[]> process, string pin, CancellationToken cancellationToken)
    {
        byte[] next = [];
        await _steps.RunAsync($"pair-setup-pin-{step}", async () =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.StepTimeout);
            var response = await _control!.SendAsync("POST", "/pair-setup-pin", body, PinPairingClient.ContentType, null, timeout.Token);
            if (response.StatusCode == WrongPinStatus)
            {
                throw new SenderStatusException(response.StatusCode, $"POST /pair-setup-pin step {step}: receiver answered {response.StatusCode} {response.ReasonPhrase}: wrong PIN {pin}");
            }

            if (!response.IsSuccess)
            {
                throw new SenderStatusException(response.StatusCode, $"POST /pair-setup-pin step {step}: receiver answered {response.StatusCode} {response.ReasonPhrase}");
            }

            next = process(response.Body.ToArray());
            return response.StatusCode;
        });
        return next;
    }

    private async Task<string> ReadPendingPinAsync(CancellationToken cancellationToken)
    {
        var pin = string.Empty;
        await _steps.RunAsync("pin-from-admin-api", async () =>
        {
            using var http = new HttpClient { Timeout = options.StepTimeout };
            try
            {
                pin = await new AdminPinClient(http, options.AdminUrl ?? throw new InvalidOperationException("--pin auto needs the admin API URL."), options.ApiKey, _time).GetPinAsync(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw new SenderProtocolException($"reading the PIN from {options.AdminUrl}: {e.Message}", e);
            }

            return 200;
        });
        return pin;
    }
}
