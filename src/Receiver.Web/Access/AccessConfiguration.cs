using System.ComponentModel.DataAnnotations;
using Receiver.Core.Access;

namespace Receiver.Web.Access;

/// <summary>Reads and checks the <c>Receiver:Access</c> section when the host is built.</summary>
public static class AccessConfiguration
{
    /// <summary>
    /// The section's options, validated and with device ids normalised. A <see cref="ValidationException"/> names
    /// every bad value (a mode that is not pin/password/approve/open, a malformed device id, password mode without
    /// a password), so the receiver stops at start with the reason.
    /// </summary>
    public static AccessOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(AccessOptions.SectionName);
        var mode = section["Mode"];
        if (!string.IsNullOrWhiteSpace(mode) && (int.TryParse(mode, out _) || !Enum.TryParse<AccessMode>(mode, ignoreCase: true, out _)))
        {
            throw new ValidationException($"{AccessOptions.SectionName}:Mode '{mode}' must be pin, password, approve or open.");
        }

        if (mode is not null && string.IsNullOrWhiteSpace(mode))
        {
            // An empty mode (e.g. Receiver__Access__Mode="") is the default one.
            section = new ConfigurationBuilder()
                .AddConfiguration(configuration)
                .AddInMemoryCollection([new($"{AccessOptions.SectionName}:Mode", nameof(AccessMode.Pin))])
                .Build()
                .GetSection(AccessOptions.SectionName);
        }

        AccessOptions options;
        try
        {
            options = section.Get<AccessOptions>() ?? new AccessOptions();
        }
        catch (InvalidOperationException ex)
        {
            // A value of the wrong type (e.g. RememberSenders=maybe): the binder's message names the key.
            throw new ValidationException($"{AccessOptions.SectionName}: {ex.Message}", ex);
        }

        var failures = options.Validate();
        return failures.Count == 0 ? options : throw new ValidationException(string.Join(" ", failures));
    }
}
