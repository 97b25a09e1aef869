using System.ComponentModel.DataAnnotations;

namespace Receiver.Web.Security;

/// <summary>Viewer access, from the <c>Receiver:Viewer</c> section (which also holds the media WebSocket's settings).</summary>
public sealed class ViewerAccessOptions
{
    public const string SectionName = "Receiver:Viewer";

    /// <summary><c>link</c> (default), <c>open</c> or <c>admin</c>.</summary>
    public ViewerAccess Access { get; set; } = ViewerAccess.Link;

    /// <summary>How long a viewing link lasts when its request names no time.</summary>
    [Range(1, ViewLinks.MaxMinutes)]
    public int LinkMinutes { get; set; } = 60;
}
