namespace Receiver.Core.Casting;

/// <summary>Where a cast's playlists come from: the phone (FCUP over the reverse channel) or their HTTP origin.</summary>
public interface IPlaylistSource
{
    /// <summary>The playlist's text; <see cref="HlsPlaylistException"/> with the reason when it cannot be had.</summary>
    Task<string> FetchAsync(Uri url, CancellationToken cancellationToken);
}
