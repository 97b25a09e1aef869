using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Receiver.Core.Access;
using Receiver.Core.Control;
using Receiver.Core.Pairing;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Sessions;

/// <summary>
/// Who may mirror, on one control connection (docs/ACCESS.md): the PIN requests (<c>POST /pair-pin-start</c>, the
/// three <c>POST /pair-setup-pin</c> steps) and the admission of the session SETUP, decided by the receiver's
/// <see cref="SenderAccessPolicy"/> before anything is opened. Without a policy every sender is admitted.
/// </summary>
internal sealed class ControlAccess(
    SenderAccessPolicy? policy,
    ControlPairing pairing,
    PairingIdentity identity,
    IPEndPoint remote,
    ILogger logger)
{
    private const string BinaryPlistType = "application/x-apple-binary-plist";
    private static readonly RandomNumberGenerator Random = RandomNumberGenerator.Create();

    private PinPairingSession? _pinPairing;
    private PinChallenge? _shownPin;
    private string? _pinUser;
    private int _pinAttempts;
    private string? _nonce;

    /// <summary><c>POST /pair-pin-start</c>: shows a fresh PIN for this sender (403 and close for an address locked out).</summary>
    public RtspResponse HandlePairPinStart(RtspHeaders headers)
    {
        if (RefusePinRequest(headers, out var deviceId, out var name) is { } refusal)
        {
            return refusal;
        }

        _pinPairing = null;
        _shownPin = policy!.Pins.Issue(name ?? deviceId ?? remote.Address.ToString(), remote);
        ControlSessionLog.PinShown(logger, name ?? "?", remote);
        return RtspResponse.Ok();
    }

    /// <summary>
    /// One <c>POST /pair-setup-pin</c> step, with the PIN this connection asked for: 455 before
    /// <c>pair-pin-start</c>, 470 for a wrong or expired PIN (a new one is shown), 400 for a malformed step, 455 for a
    /// step out of order. The completed pairing makes the sender's key the one pair-verify must prove.
    /// </summary>
    public RtspResponse HandlePairSetupPin(ReadOnlySpan<byte> body, RtspHeaders headers)
    {
        if (RefusePinRequest(headers, out var deviceId, out var name) is { } refusal)
        {
            return refusal;
        }

        var access = policy!;

        if (_shownPin is null)
        {
            throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "pair-setup-pin before pair-pin-start");
        }

        if (PinPairingSession.IsStart(body) && ++_pinAttempts > PinPairingSession.MaxAttemptsPerConnection)
        {
            ControlSessionLog.BadRequest(logger, "POST", "/pair-setup-pin", $"more than {PinPairingSession.MaxAttemptsPerConnection} PIN pairings on one connection");
            return RtspResponse.Status(RtspStatus.Forbidden, close: true);
        }

        // The PIN must still be the one shown for this connection; without it no step 1 can succeed.
        var pin = access.Pins.Current is { } current && ReferenceEquals(current, _shownPin) ? current.Pin : null;
        _pinPairing ??= new PinPairingSession(identity, Random);
        var reply = _pinPairing.Handle(body, pin ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        _pinUser = _pinPairing.User ?? _pinUser;
        switch (reply.Outcome)
        {
            case PinPairingOutcome.Continue:
                return RtspResponse.WithBody(reply.Body!, BinaryPlistType);

            case PinPairingOutcome.Completed:
                pairing.CompletePinPairing(_pinPairing.SenderPublicKey);
                access.Pins.Clear(_shownPin);
                _shownPin = null;
                access.Admit(_pinPairing.User ?? deviceId ?? string.Empty, name, null, _pinPairing.SenderPublicKey.ToArray(), TrustMethod.Pin, remote.Address);
                ControlSessionLog.PinPaired(logger, SenderText.Show(_pinPairing.User), remote);
                return RtspResponse.WithBody(reply.Body!, BinaryPlistType);

            case PinPairingOutcome.WrongPin:
                access.Refuse(_pinUser ?? deviceId, name, RefusalReason.WrongPin, remote.Address);
                _pinPairing = null;
                access.Pins.Clear(_shownPin);
                _shownPin = access.Lockout.IsLockedOut(remote.Address) ? null : access.Pins.Issue(name ?? deviceId ?? remote.Address.ToString(), remote);
                return RtspResponse.Status(RtspStatus.ClientAuthenticationFailure);

            case PinPairingOutcome.OutOfSequence:
                ControlSessionLog.OutOfOrder(logger, "POST", "/pair-setup-pin", reply.Reason ?? "step out of order");
                return RtspResponse.Status(RtspStatus.MethodNotValidInThisState);

            default:
                ControlSessionLog.BadRequest(logger, "POST", "/pair-setup-pin", reply.Reason ?? "malformed step");
                return RtspResponse.Status(RtspStatus.BadRequest);
        }
    }

    /// <summary>
    /// Decides whether the sender of a session SETUP may mirror. Null: admitted. Otherwise the refusal to send: 401 with
    /// a Digest challenge (password mode), 470 (PIN mode, not paired), 403 and close (denied, locked out, not approved,
    /// another key for a registered id). Waits for the operator in approve mode.
    /// </summary>
    public async ValueTask<RtspResponse?> AdmitSessionAsync(SetupSessionRequest keys, RtspRequest request, CancellationToken cancellationToken)
    {
        if (policy is null)
        {
            return null;
        }

        var deviceId = keys.DeviceId ?? request.Headers["X-Apple-Device-ID"];
        var name = keys.Name ?? request.Headers["X-Apple-Client-Name"];
        var verifiedKey = pairing.VerifiedPublicKey;
        if (!verifiedKey.IsEmpty && !policy.IsDenied(deviceId) && deviceId is not null
            && policy.Register.Find(deviceId) is { PublicKey: { } registered } && !registered.AsSpan().SequenceEqual(verifiedKey.Span))
        {
            return Refuse(deviceId, name, RefusalReason.WrongKey);
        }

        switch (policy.CheckDevice(deviceId, remote.Address, verifiedKey.Span))
        {
            case AccessDecision.Refused refused:
                return Refuse(deviceId, name, refused.Reason);

            case AccessDecision.Trusted trusted:
                if (trusted.How == TrustSource.Register)
                {
                    policy.Admit(deviceId ?? string.Empty, name, keys.Model, verifiedKey.IsEmpty ? null : verifiedKey.ToArray(), TrustMethod.Pin, remote.Address);
                }

                return null;

            case AccessDecision.NeedsProof { Mode: AccessMode.Pin }:
                if (!pairing.PinPairedKey.IsEmpty && pairing.PinPairedKey.Span.SequenceEqual(verifiedKey.Span))
                {
                    policy.Lockout.RecordSuccess(remote.Address);
                    return null;
                }

                policy.Refuse(deviceId, name, RefusalReason.PairingRequired, remote.Address);
                return RtspResponse.Status(RtspStatus.ClientAuthenticationFailure, close: true);

            case AccessDecision.NeedsProof { Mode: AccessMode.Password }:
                return CheckPassword(request, deviceId, name);

            case AccessDecision.NeedsProof { Mode: AccessMode.Approve }:
                return await policy.ApproveAsync(deviceId, name, keys.Model, verifiedKey.IsEmpty ? null : verifiedKey.ToArray(), remote, cancellationToken).ConfigureAwait(false) is null
                    ? null
                    : RtspResponse.Status(RtspStatus.Forbidden, close: true);

            default:
                return null;
        }
    }

    /// <summary>A PIN request the receiver does not take: 404 without an access policy, 403 and close for an address locked out.</summary>
    private RtspResponse? RefusePinRequest(RtspHeaders headers, out string? deviceId, out string? name)
    {
        (deviceId, name) = Who(headers);
        if (policy is null)
        {
            return RtspResponse.Status(RtspStatus.NotFound);
        }

        if (policy.Lockout.IsLockedOut(remote.Address))
        {
            policy.Refuse(deviceId, name, RefusalReason.LockedOut, remote.Address);
            return RtspResponse.Status(RtspStatus.Forbidden, close: true);
        }

        return null;
    }

    private RtspResponse? CheckPassword(RtspRequest request, string? deviceId, string? name)
    {
        var authorization = request.Headers["Authorization"];
        if (_nonce is not null && authorization is not null
            && HttpDigest.Verify(authorization, request.Method, policy!.Options.Password ?? string.Empty, _nonce))
        {
            policy.Lockout.RecordSuccess(remote.Address);
            return null;
        }

        if (authorization is not null)
        {
            policy!.Refuse(deviceId, name, RefusalReason.WrongPassword, remote.Address);
            if (policy.Lockout.IsLockedOut(remote.Address))
            {
                return RtspResponse.Status(RtspStatus.Forbidden, close: true);
            }
        }

        _nonce = HttpDigest.NewNonce(Random);
        var challenge = RtspResponse.Status(RtspStatus.Unauthorized);
        challenge.Headers.Add("WWW-Authenticate", HttpDigest.Challenge(_nonce));
        return challenge;
    }

    private RtspResponse Refuse(string? deviceId, string? name, RefusalReason reason)
    {
        policy!.Refuse(deviceId, name, reason, remote.Address);
        return RtspResponse.Status(reason == RefusalReason.PairingRequired ? RtspStatus.ClientAuthenticationFailure : RtspStatus.Forbidden, close: true);
    }

    private static (string? DeviceId, string? Name) Who(RtspHeaders headers) =>
        (SenderText.Clean(headers["X-Apple-Device-ID"]), SenderText.Clean(headers["X-Apple-Client-Name"] is { } name ? Decode(name) : null));

    // Client names may arrive percent- or UTF-8 encoded; an unreadable one is shown as sent.
    private static string Decode(string name)
    {
        try
        {
            return Uri.UnescapeDataString(name);
        }
        catch (UriFormatException)
        {
            return name;
        }
    }
}
