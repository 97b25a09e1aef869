namespace Receiver.Web.Hubs;

/// <summary>A cast video started (with its host, title and kind) or changed state (with its position, rate and duration).</summary>
public sealed record CastMessage(string SessionId, string? Host, string? Title, string? Media, string State, double Position, double Rate, double Duration);
