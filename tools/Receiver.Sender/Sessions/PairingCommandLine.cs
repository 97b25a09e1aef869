using System.CommandLine;

namespace Receiver.Sender.Sessions;

/// <summary>
/// The <c>mirror</c> command's sender-identity and PIN options: <c>--pin</c>, <c>--admin-url</c>, <c>--api-key</c>,
/// <c>--device-id</c>, <c>--identity</c>, <c>--password</c>.
/// </summary>
public sealed class PairingCommandLine
{
    /// <summary>The receiver's web port when <c>--admin-url</c> is not given.</summary>
    public const int DefaultAdminPort = 8080;

    private readonly Option<string?> _pin = new("--pin") { Description = "Pair with this PIN first (pair-pin-start, pair-setup-pin): four digits, or 'auto' to read it from the receiver's admin API" };
    private readonly Option<string?> _adminUrl = new("--admin-url") { Description = $"Base URL of the receiver's admin API for --pin auto (default http://<host>:{DefaultAdminPort})" };
    private readonly Option<string?> _apiKey = new("--api-key") { Description = "The admin API key (X-Api-Key) for --pin auto, when the receiver has one" };
    private readonly Option<string?> _deviceId = new("--device-id") { Description = "The sender's device id AA:BB:CC:DD:EE:FF (SRP user, SETUP deviceID, X-Apple-Device-ID); random when absent" };
    private readonly Option<string?> _password = new("--password") { Description = "Answer the receiver's password challenge (Digest, on the keys SETUP) with this password" };
    private readonly Option<string?> _identity = new("--identity") { Description = "File with the sender's Ed25519 key (created if missing), so the receiver recognises it across runs" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public static PairingCommandLine AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var line = new PairingCommandLine();
        command.Options.Add(line._pin);
        command.Options.Add(line._adminUrl);
        command.Options.Add(line._apiKey);
        command.Options.Add(line._deviceId);
        command.Options.Add(line._identity);
        command.Options.Add(line._password);
        return line;
    }

    /// <summary>
    /// <paramref name="sender"/> with the options of <paramref name="result"/> applied. Throws
    /// <see cref="FormatException"/> with a message for the user when a value is unusable or the options contradict.
    /// </summary>
    public SenderOptions Bind(ParseResult result, SenderOptions sender)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(sender);
        var pin = result.GetValue(_pin) is { } pinText ? SenderPin.Parse(pinText) : null;
        if (pin is not null && sender.Pairing == PairingMode.None)
        {
            throw new FormatException("--pin pairs with the receiver and cannot be combined with --pairing none.");
        }

        var adminText = result.GetValue(_adminUrl);
        if (adminText is not null && pin?.IsAuto != true)
        {
            throw new FormatException("--admin-url is only used with --pin auto.");
        }

        Uri? admin = null;
        if (pin?.IsAuto == true)
        {
            adminText ??= $"http://{FormatHost(sender.Host)}:{DefaultAdminPort}/";
            if (!Uri.TryCreate(adminText.EndsWith('/') ? adminText : adminText + "/", UriKind.Absolute, out admin) || admin.Scheme is not ("http" or "https"))
            {
                throw new FormatException($"--admin-url must be an http(s) URL, not '{adminText}'.");
            }
        }

        var deviceId = result.GetValue(_deviceId);
        if (deviceId is not null && !SenderDeviceId.IsValid(deviceId))
        {
            throw new FormatException($"--device-id must look like AA:BB:CC:DD:EE:FF, not '{deviceId}'.");
        }

        return sender with
        {
            Pin = pin,
            AdminUrl = admin,
            ApiKey = result.GetValue(_apiKey),
            DeviceId = deviceId?.ToUpperInvariant() ?? sender.DeviceId,
            IdentityFile = result.GetValue(_identity),
            Password = result.GetValue(_password),
        };
    }

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
}
