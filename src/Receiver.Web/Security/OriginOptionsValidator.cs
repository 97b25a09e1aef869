using Microsoft.Extensions.Options;

namespace Receiver.Web.Security;

/// <summary>Each of <c>Receiver:Web:AllowedOrigins</c> is an absolute http(s) origin.</summary>
public sealed class OriginOptionsValidator : IValidateOptions<OriginOptions>
{
    public ValidateOptionsResult Validate(string? name, OriginOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var bad = options.AllowedOrigins.Where(o => !Uri.TryCreate(o, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)).ToArray();
        return bad.Length == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Receiver:Web:AllowedOrigins: '{string.Join("', '", bad)}' is not an http(s) origin such as https://screens.example.org.");
    }
}
