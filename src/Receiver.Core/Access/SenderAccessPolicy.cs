using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Receiver.Core.Access;

/// <summary>
/// Who may mirror, decided in one place. <see cref="CheckDevice(string?, IPAddress, ReadOnlySpan{byte})"/> reads the
/// options, the register and the lockout and changes nothing; the control session then asks for the proof the
/// mode needs and reports the outcome with <see cref="Admit"/> or <see cref="Refuse"/>.
/// Order: deny list, lockout, allow list, register (when <see cref="AccessOptions.RememberSenders"/>), open mode;
/// anything else needs proof.
/// </summary>
public sealed partial class SenderAccessPolicy
{
    private readonly HashSet<string> _allow;
    private readonly HashSet<string> _deny;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public SenderAccessPolicy(
        AccessOptions options,
        SenderRegister register,
        AccessLockout lockout,
        PinBoard pins,
        ApprovalQueue approvals,
        TimeProvider time,
        ILogger<SenderAccessPolicy>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Register = register ?? throw new ArgumentNullException(nameof(register));
        Lockout = lockout ?? throw new ArgumentNullException(nameof(lockout));
        Pins = pins ?? throw new ArgumentNullException(nameof(pins));
        Approvals = approvals ?? throw new ArgumentNullException(nameof(approvals));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _allow = Normalized(options.Allow);
        _deny = Normalized(options.Deny);
    }

    /// <summary>A sender was refused (raised by <see cref="Refuse"/>).</summary>
    public event Action<SenderRefusal>? SenderRefused;

    public AccessOptions Options { get; }

    public AccessMode Mode => Options.Mode;

    public SenderRegister Register { get; }

    public AccessLockout Lockout { get; }

    public PinBoard Pins { get; }

    public ApprovalQueue Approvals { get; }

    /// <summary>The decision for a sender that gave <paramref name="deviceId"/> (null or malformed: an unknown sender) from <paramref name="remote"/>.</summary>
    public AccessDecision CheckDevice(string? deviceId, IPAddress remote) => CheckDevice(deviceId, remote, default);

    /// <summary>
    /// As <see cref="CheckDevice(string?, IPAddress)"/>, for a sender that proved <paramref name="verifiedPublicKey"/>
    /// (pair-verify): a register entry with a key then trusts it only when the keys match, and an entry found by
    /// the key trusts it even under a new device id. An empty key: the register trusts by device id.
    /// </summary>
    public AccessDecision CheckDevice(string? deviceId, IPAddress remote, ReadOnlySpan<byte> verifiedPublicKey)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var id = DeviceId.TryNormalize(deviceId, out var normal) ? normal : null;
        if (id is not null && _deny.Contains(id))
        {
            return new AccessDecision.Refused(RefusalReason.Denied);
        }

        if (Lockout.IsLockedOut(remote))
        {
            return new AccessDecision.Refused(RefusalReason.LockedOut);
        }

        if (id is not null && _allow.Contains(id))
        {
            return new AccessDecision.Trusted(TrustSource.AllowList);
        }

        if (Options.RememberSenders && IsRegistered(id, verifiedPublicKey))
        {
            return new AccessDecision.Trusted(TrustSource.Register);
        }

        return Options.Mode == AccessMode.Open
            ? new AccessDecision.Trusted(TrustSource.OpenMode)
            : new AccessDecision.NeedsProof(Options.Mode);
    }

    /// <summary>Whether <paramref name="deviceId"/> is on the deny list.</summary>
    public bool IsDenied(string? deviceId) => DeviceId.TryNormalize(deviceId, out var id) && _deny.Contains(id);

    /// <summary>
    /// A sender passed (<paramref name="method"/>): its address's failures are forgotten and, when senders are
    /// remembered, it is trusted next time (or its last visit noted when it already is).
    /// </summary>
    public void Admit(string deviceId, string? name, string? model, byte[]? publicKey, TrustMethod method, IPAddress remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        (name, model) = (SenderText.Clean(name), SenderText.Clean(model));
        Lockout.RecordSuccess(remote);
        if (!DeviceId.TryNormalize(deviceId, out var id))
        {
            return;
        }

        var known = Register.Find(id);
        if (known is not null && (publicKey is null || (known.PublicKey is { } key && key.AsSpan().SequenceEqual(publicKey))))
        {
            Register.Seen(id);
            return;
        }

        if (Options.RememberSenders)
        {
            var now = _time.GetUtcNow();
            Register.Trust(new TrustedSender(id, name, model, publicKey, known?.AddedAt ?? now, method, now));
            LogTrusted(_logger, id, name, method);
        }
    }

    /// <summary>
    /// A sender was refused: raises <see cref="SenderRefused"/>, logs it, and counts a failed proof (wrong PIN or
    /// password) against its address.
    /// </summary>
    public void Refuse(string? deviceId, string? name, RefusalReason reason, IPAddress remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (reason is RefusalReason.WrongPin or RefusalReason.WrongPassword)
        {
            Lockout.RecordFailure(remote);
        }

        var id = DeviceId.TryNormalize(deviceId, out var normal) ? normal : SenderText.Clean(deviceId);
        name = SenderText.Clean(name);
        LogRefused(_logger, id, name, remote, reason);
        SenderRefused?.Invoke(new SenderRefusal(id, name, reason, remote, _time.GetUtcNow()));
    }

    /// <summary>
    /// Asks the operator about a sender (<see cref="AccessMode.Approve"/>) and waits up to
    /// <see cref="AccessOptions.ApprovalTimeout"/>. The caller then calls <see cref="Admit"/> or <see cref="Refuse"/>.
    /// </summary>
    public Task<ApprovalDecision> RequestApprovalAsync(string deviceId, string? name, string? model, IPEndPoint remote, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var id = DeviceId.TryNormalize(deviceId, out var normal) ? normal : SenderText.Clean(deviceId) ?? "unknown";
        var request = new ApprovalRequest(ApprovalQueue.NewRequestId(), id, SenderText.Clean(name), SenderText.Clean(model), remote, _time.GetUtcNow());
        return Approvals.RequestAsync(request, Options.ApprovalTimeout, ct);
    }

    /// <summary>Whether <paramref name="publicKey"/> is the key of a sender the receiver remembers (it may skip pair-setup).</summary>
    public bool IsRemembered(ReadOnlySpan<byte> publicKey) => Options.RememberSenders && Register.FindByKey(publicKey) is not null;

    /// <summary>
    /// Asks the operator about a sender and reports the outcome: null when it was allowed (admitted, and remembered when
    /// senders are), otherwise the reason it was refused (<see cref="Refuse"/> has run).
    /// </summary>
    public async Task<RefusalReason?> ApproveAsync(string? deviceId, string? name, string? model, byte[]? publicKey, IPEndPoint remote, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var decision = await RequestApprovalAsync(deviceId ?? "unknown", name, model, remote, ct).ConfigureAwait(false);
        if (decision == ApprovalDecision.Allowed)
        {
            Admit(deviceId ?? string.Empty, name, model, publicKey, TrustMethod.Approval, remote.Address);
            return null;
        }

        var reason = decision == ApprovalDecision.TimedOut ? RefusalReason.ApprovalTimedOut : RefusalReason.NotApproved;
        Refuse(deviceId, name, reason, remote.Address);
        return reason;
    }

    private bool IsRegistered(string? id, ReadOnlySpan<byte> verifiedPublicKey)
    {
        if (!verifiedPublicKey.IsEmpty)
        {
            if (Register.FindByKey(verifiedPublicKey) is not null)
            {
                return true;
            }

            return id is not null && Register.Find(id) is { PublicKey: null };
        }

        return id is not null && Register.Find(id) is not null;
    }

    private static HashSet<string> Normalized(IEnumerable<string>? ids)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in ids ?? [])
        {
            if (DeviceId.TryNormalize(value, out var id))
            {
                set.Add(id);
            }
        }

        return set;
    }

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "Sender {DeviceId} ({Name}) is trusted from now on ({Method})")]
    private static partial void LogTrusted(ILogger logger, string deviceId, string? name, TrustMethod method);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "Sender {DeviceId} ({Name}) from {Remote} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string? deviceId, string? name, IPAddress remote, RefusalReason reason);
}
