namespace Receiver.Core.Access;

/// <summary>Who may mirror: the <c>Receiver:Access</c> configuration section.</summary>
public sealed class AccessOptions
{
    public const string SectionName = "Receiver:Access";

    /// <summary>Longest accepted password.</summary>
    public const int MaxPasswordLength = 256;

    /// <summary>Most device ids in <see cref="Allow"/> or <see cref="Deny"/>.</summary>
    public const int MaxListLength = 1000;

    /// <summary>How an unknown sender proves it may mirror.</summary>
    public AccessMode Mode { get; set; } = AccessMode.Pin;

    /// <summary>A sender that passed once is trusted next time (by its device id and Ed25519 key).</summary>
    public bool RememberSenders { get; set; } = true;

    /// <summary>The password of <see cref="AccessMode.Password"/> mode.</summary>
    public string? Password { get; set; }

    /// <summary>Device ids (<c>AA:BB:CC:DD:EE:FF</c>) trusted without proof.</summary>
    public IList<string> Allow { get; set; } = [];

    /// <summary>Device ids always refused; wins over <see cref="Allow"/> and the register.</summary>
    public IList<string> Deny { get; set; } = [];

    /// <summary>How long an approval request waits for the operator before the sender is refused.</summary>
    public int ApprovalTimeoutSeconds { get; set; } = 30;

    /// <summary><see cref="ApprovalTimeoutSeconds"/> as a time span.</summary>
    public TimeSpan ApprovalTimeout => TimeSpan.FromSeconds(ApprovalTimeoutSeconds);

    /// <summary>
    /// Checks every value and writes the device ids of <see cref="Allow"/> and <see cref="Deny"/> in their normal form
    /// (<c>AA:BB:CC:DD:EE:FF</c>, duplicates removed). Returns one message per problem, naming the setting; empty when valid.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(Mode))
        {
            failures.Add($"{SectionName}:Mode must be pin, password, approve or open.");
        }

        if (Mode == AccessMode.Password && string.IsNullOrEmpty(Password))
        {
            failures.Add($"{SectionName}:Password is required when {SectionName}:Mode is password.");
        }

        if (Password is { Length: > MaxPasswordLength })
        {
            failures.Add($"{SectionName}:Password is longer than {MaxPasswordLength} characters.");
        }

        if (ApprovalTimeoutSeconds is < 1 or > 3600)
        {
            failures.Add($"{SectionName}:ApprovalTimeoutSeconds must be between 1 and 3600.");
        }

        Allow = NormalizeList(Allow, "Allow", failures);
        Deny = NormalizeList(Deny, "Deny", failures);
        return failures;
    }

    private static List<string> NormalizeList(IList<string>? ids, string name, List<string> failures)
    {
        var result = new List<string>();
        if (ids is null)
        {
            return result;
        }

        if (ids.Count > MaxListLength)
        {
            failures.Add($"{SectionName}:{name} holds more than {MaxListLength} device ids.");
        }

        for (var i = 0; i < ids.Count; i++)
        {
            if (!DeviceId.TryNormalize(ids[i], out var id))
            {
                failures.Add($"{SectionName}:{name}:{i} '{ids[i]}' is not a device id like AA:BB:CC:DD:EE:FF.");
            }
            else if (!result.Contains(id, StringComparer.Ordinal))
            {
                result.Add(id);
            }
        }

        return result;
    }
}
