namespace Receiver.Core.Casting;

/// <summary>Asks a segment's server whether pages of another origin may read it.</summary>
public interface ICorsProbe
{
    /// <summary>
    /// Fetches the first byte of <paramref name="segment"/> with <c>Origin: <paramref name="pageOrigin"/></c> and
    /// returns the answer's <c>Access-Control-Allow-Origin</c>, or null when there is none or the fetch failed.
    /// </summary>
    Task<string?> AllowOriginAsync(Uri segment, string pageOrigin, CancellationToken cancellationToken);
}
