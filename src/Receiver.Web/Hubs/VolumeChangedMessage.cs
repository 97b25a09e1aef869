namespace Receiver.Web.Hubs;

/// <summary>The sender's volume in dB (−30…0, −144 = muted).</summary>
public sealed record VolumeChangedMessage(string SessionId, double VolumeDb);
