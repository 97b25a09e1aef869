using System.Net;
using Microsoft.Extensions.Logging;
using Receiver.Core.Pairing;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Sessions;

/// <summary>
/// Pairing on one control connection: <c>POST /pair-setup</c> (or a completed PIN pairing) then the two phases of
/// <c>POST /pair-verify</c>. The shared secret of a verified pairing feeds the session key; the sender's verified
/// Ed25519 key is what the access policy recognises it by.
/// </summary>
internal sealed class ControlPairing(PairingIdentity identity, IPEndPoint remote, ILogger logger, Func<ReadOnlyMemory<byte>, bool>? isKnownKey = null)
{
    private const string OctetStreamType = "application/octet-stream";
    private const int PairVerifyBodyLength = 68;

    private bool _pairSetupDone;
    private PairVerifySession? _pairVerify;

    /// <summary>Both phases of pair-verify succeeded on this connection.</summary>
    public bool IsVerified => _pairVerify is { IsVerified: true };

    /// <summary>The sender's long-term Ed25519 key once pair-verify proved it; empty before.</summary>
    public ReadOnlyMemory<byte> VerifiedPublicKey => IsVerified ? _pairVerify!.SenderPublicKey : ReadOnlyMemory<byte>.Empty;

    /// <summary>The key the sender paired with the PIN on this connection; empty otherwise.</summary>
    public ReadOnlyMemory<byte> PinPairedKey { get; private set; } = ReadOnlyMemory<byte>.Empty;

    /// <summary>Pair-setup or pair-verify ran on this connection, so the session key is hashed with the pairing secret.</summary>
    public bool HasPaired => _pairSetupDone || _pairVerify is not null;

    /// <summary>The X25519 secret agreed in pair-verify phase 1; empty before it.</summary>
    public ReadOnlyMemory<byte> SharedSecret => _pairVerify is { HasSharedSecret: true } verify ? verify.SharedSecret : ReadOnlyMemory<byte>.Empty;

    /// <summary>A PIN pairing completed on this connection: pair-verify must then prove <paramref name="senderKey"/>.</summary>
    public void CompletePinPairing(ReadOnlyMemory<byte> senderKey)
    {
        PinPairedKey = senderKey.ToArray();
        _pairSetupDone = true;
    }

    /// <summary>Answers pair-setup with the receiver's Ed25519 public key; 400 for a malformed body.</summary>
    public RtspResponse HandlePairSetup(ReadOnlySpan<byte> body)
    {
        try
        {
            var reply = PairSetup.HandlePairSetup(body, identity);
            _pairSetupDone = true;
            return RtspResponse.WithBody(reply, OctetStreamType);
        }
        catch (PairingException ex)
        {
            ControlSessionLog.BadRequest(logger, "POST", "/pair-setup", ex.Message);
            return RtspResponse.Status(RtspStatus.BadRequest);
        }
    }

    /// <summary>
    /// Answers a pair-verify phase: 400 for a body that is not 68 bytes; 455 for phase 2 before phase 1, and before
    /// pair-setup unless the sender's key is one the receiver already trusts (a returning sender goes straight to
    /// pair-verify); 470 and close when the key differs from the one paired with the PIN on this connection, or the
    /// sender's key exchange or signature fails.
    /// </summary>
    public RtspResponse HandlePairVerify(ReadOnlySpan<byte> body)
    {
        if (body.Length != PairVerifyBodyLength)
        {
            ControlSessionLog.BadRequest(logger, "POST", "/pair-verify", $"pair-verify body of {body.Length} bytes, expected {PairVerifyBodyLength}");
            return RtspResponse.Status(RtspStatus.BadRequest);
        }

        try
        {
            if (body[0] == 1)
            {
                var senderKey = body[36..68].ToArray();
                if (!_pairSetupDone && (isKnownKey is null || !isKnownKey(senderKey)))
                {
                    throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "pair-verify before pair-setup");
                }

                if (PinPairedKey.Length > 0 && !PinPairedKey.Span.SequenceEqual(senderKey))
                {
                    throw new PairingException(PairingFailure.InvalidPublicKey, "pair-verify with another key than the one paired with the PIN");
                }

                _pairVerify = new PairVerifySession(identity);
                return RtspResponse.WithBody(_pairVerify.ProcessPhase1(body), OctetStreamType);
            }

            if (_pairVerify is null)
            {
                throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "pair-verify phase 2 before phase 1");
            }

            _pairVerify.ProcessPhase2(body);
            ControlSessionLog.Paired(logger, remote);
            return RtspResponse.WithBody(ReadOnlyMemory<byte>.Empty, OctetStreamType);
        }
        catch (PairingException ex)
        {
            ControlSessionLog.PairingRefused(logger, remote, ex.Message);
            _pairVerify = null;
            return RtspResponse.Status(RtspStatus.ClientAuthenticationFailure, close: true);
        }
    }
}
