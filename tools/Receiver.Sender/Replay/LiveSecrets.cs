using System.Security.Cryptography;
using Receiver.Core.Access;
using Receiver.Core.Pairing;
using Receiver.Core.Plist;
using Receiver.Sender.Control;
using Receiver.Sender.Sessions;

namespace Receiver.Sender.Replay;

/// <summary>
/// The secrets a replay makes afresh where the capture has only their lengths: the sender's pairing (legacy
/// pair-setup, or the PIN flow, then pair-verify, run for real against the receiver's answers), the FairPlay messages
/// and <c>ekey</c> of a recorded FairPlay case, fresh random IVs, and the Digest answer to a password challenge.
/// </summary>
internal sealed class LiveSecrets(FairPlayCase fairPlay, PairingIdentity identity, string deviceId, string? password) : IDisposable
{
    private byte[]? _receiverKey;
    private byte[]? _infoKey;
    private PairVerifyClient? _verify;
    private byte[]? _verifyPhase2;
    private bool _verifyAwaitsReply1;
    private PinPairingClient? _pin;
    private RandomNumberGenerator? _pinRandom;
    private byte[]? _pinNext;
    private int _pinStep;
    private int _fairPlayMessages;
    private string? _challenge;

    /// <summary>The PIN for the PIN flow, set before its first step.</summary>
    public string? PinDigits { get; set; }

    /// <summary>A fresh body for a request whose captured body was redacted.</summary>
    public byte[] Body(CapturedRequest request)
    {
        var length = request.Body.Length;
        switch (request.Path)
        {
            case "/pair-setup":
                return identity.PublicKey.ToArray();
            case "/pair-verify" when _verifyPhase2 is null:
                var receiverKey = _receiverKey ?? _infoKey
                    ?? throw new SenderProtocolException("pair-verify without the receiver's key (no pair-setup and no pk in GET /info before it)");
                _verify = new PairVerifyClient(identity, receiverKey);
                _verifyAwaitsReply1 = true;
                return _verify.CreatePhase1Request();
            case "/pair-verify":
                var phase2 = _verifyPhase2;
                _verifyPhase2 = null;
                return phase2;
            case "/pair-setup-pin" when _pinStep == 0:
                _pinRandom = RandomNumberGenerator.Create();
                _pin = new PinPairingClient(deviceId, PinDigits ?? throw new SenderProtocolException("the capture pairs with a PIN: pass --pin"), identity, _pinRandom);
                return _pin.CreateStep1Request();
            case "/pair-setup-pin":
                return _pinNext ?? throw new SenderProtocolException("pair-setup-pin step without the previous step's answer");
            case "/fp-setup":
                return _fairPlayMessages++ == 0 && length != fairPlay.Message3.Length ? fairPlay.Message1 : fairPlay.Message3;
            default:
                return RandomNumberGenerator.GetBytes(length);
        }
    }

    /// <summary>The value of a redacted plist entry: the case's <c>ekey</c>, or fresh random bytes of the captured length.</summary>
    public PlistValue Regenerate(string name, string kind, int length) =>
        string.Equals(name, "ekey", StringComparison.Ordinal) ? new PlistData(fairPlay.Ekey) : new PlistData(RandomNumberGenerator.GetBytes(length));

    /// <summary>The Digest answer to the receiver's last challenge, when the replay knows the password.</summary>
    public string? Authorization(string method, string target) =>
        password is not null && _challenge is not null ? HttpDigest.Authorization(method, target, "AirPlay", password, _challenge) : null;

    /// <summary>Takes what the receiver answered: its keys, pairing replies and challenges, for the next requests.</summary>
    public void Observe(CapturedRequest request, RtspResponseMessage response)
    {
        if (response.Headers["WWW-Authenticate"] is { } challenge)
        {
            _challenge = challenge;
        }

        if (!response.IsSuccess)
        {
            return;
        }

        switch (request.Path)
        {
            case "/info" when BinaryPlist.IsBinaryPlist(response.Body):
                if (BinaryPlist.Read(response.Body) is PlistDict info && info.TryGetValue("pk", out var pk) && pk is PlistData { Length: PairingIdentity.KeyLength } key)
                {
                    _infoKey = key.ToArray();
                }

                break;
            case "/pair-setup":
                _receiverKey = response.Body;
                break;
            case "/pair-verify" when _verify is not null && _verifyAwaitsReply1:
                _verifyAwaitsReply1 = false;
                _verifyPhase2 = _verify.ProcessPhase1Response(response.Body);
                break;
            case "/pair-setup-pin" when _pin is not null:
                _pinStep++;
                if (_pinStep == 1)
                {
                    _pinNext = _pin.ProcessStep1Response(response.Body);
                }
                else if (_pinStep == 2)
                {
                    _pinNext = _pin.ProcessStep2Response(response.Body);
                }
                else
                {
                    _receiverKey = _pin.ProcessStep3Response(response.Body);
                    _pinStep = 0;
                }

                break;
        }
    }

    public void Dispose() => _pinRandom?.Dispose();
}
