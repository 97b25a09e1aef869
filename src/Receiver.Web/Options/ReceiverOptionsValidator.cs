using Microsoft.Extensions.Options;

namespace Receiver.Web.Options;

/// <summary>Checks what data annotations cannot: nested sections, the features string, distinct ports.</summary>
public sealed class ReceiverOptionsValidator : IValidateOptions<ReceiverOptions>
{
    public ValidateOptionsResult Validate(string? name, ReceiverOptions options)
    {
        var failures = new List<string>();
        Annotate(options.Display, "Display", failures);
        Annotate(options.Limits, "Limits", failures);
        Annotate(options.Sessions, "Sessions", failures);
        Annotate(options.Recording, "Recording", failures);
        Annotate(options.Diagnostics, "Diagnostics", failures);
        Annotate(options.Cast, "Cast", failures);
        Annotate(options.WebRtc, "WebRtc", failures);
        if (options.WebRtc.Enabled
            && (!Uri.TryCreate(options.WebRtc.JanusUrl, UriKind.Absolute, out var janus) || janus.Scheme is not ("http" or "https")))
        {
            failures.Add($"Receiver:WebRtc:JanusUrl must be Janus's http(s) API address, e.g. http://127.0.0.1:8088/janus (was '{options.WebRtc.JanusUrl}').");
        }
        if (options.Limits.MaxControlConnectionsPerAddress > options.Limits.MaxControlConnections)
        {
            failures.Add("Receiver:Limits:MaxControlConnectionsPerAddress must not exceed Receiver:Limits:MaxControlConnections.");
        }

        if (options.Limits.MaxMirrorConnectionsPerAddress > options.Limits.MaxMirrorConnections)
        {
            failures.Add("Receiver:Limits:MaxMirrorConnectionsPerAddress must not exceed Receiver:Limits:MaxMirrorConnections.");
        }

        if (options.ControlPort != 0 && options.ControlPort == options.MirrorPort)
        {
            failures.Add("Receiver:ControlPort and Receiver:MirrorPort must differ.");
        }

        if (!string.IsNullOrWhiteSpace(options.Features))
        {
            try
            {
                FeaturesParser.Parse(options.Features);
            }
            catch (FormatException ex)
            {
                failures.Add($"Receiver:Features: {ex.Message}");
            }
        }

        failures.AddRange(HttpsOptionsValidation.Validate(options));
        if (options.Name.Contains(".local", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add("Receiver:Name must not contain '.local'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Annotate(object section, string prefix, List<string> failures)
    {
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        if (!System.ComponentModel.DataAnnotations.Validator.TryValidateObject(section, new(section), results, validateAllProperties: true))
        {
            failures.AddRange(results.Select(r => $"Receiver:{prefix}: {r.ErrorMessage}"));
        }
    }
}
