using System.Net;
using Microsoft.Extensions.Logging;
using Receiver.Core.Pairing;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Sessions;

/// <summary>
/// Legacy pairing on one control connection: <c>POST /pair-setup</c> then the two phases of <c>POST /pair-verify</c>.
/// The shared secret of a verified pairing feeds the session key.
/// </summary>
internal sealed class ControlPairing(PairingIdentity identity, IPEndPoint remote, ILogger logger)
{
    private const string OctetStreamType = "application/octet-stream";
    private const int PairVerifyBodyLength = 68;

    private bool _pairSetupDone;
    private PairVerifySession? _pairVerify;

    /// <summary>Both phases of pair-verify succeeded on this connection.</summary>
    public bool IsVerified => _pairVerify is { IsVerified: true };

    /// <summary>Pair-setup or pair-verify ran on this connection, so the session key is hashed with the pairing secret.</summary>
    public bool HasPaired => _pairSetupDone || _pairVerify is not null;

    /// <summary>The X25519 secret agreed in pair-verify phase 1; empty before it.</summary>
    public ReadOnlyMemory<byte> SharedSecret => _pairVerify is { HasSharedSecret: true } verify ? verify.SharedSecret : ReadOnlyMemory<byte>.Empty;

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
    /// Answers a pair-verify phase: 400 for a body that is not 68 bytes, 455 before pair-setup or for phase 2 before
    /// phase 1, 470 and close when the sender's key exchange or signature fails.
    /// </summary>
    public RtspResponse HandlePairVerify(ReadOnlySpan<byte> body)
    {
        if (body.Length != PairVerifyBodyLength)
        {
            ControlSessionLog.BadRequest(logger, "POST", "/pair-verify", $"pair-verify body of {body.Length} bytes, expected {PairVerifyBodyLength}");
            return RtspResponse.Status(RtspStatus.BadRequest);
        }

        if (!_pairSetupDone)
        {
            throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "pair-verify before pair-setup");
        }

        try
        {
            if (body[0] == 1)
            {
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
