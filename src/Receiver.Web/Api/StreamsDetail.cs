namespace Receiver.Web.Api;

/// <summary>Which streams the sender has set up.</summary>
public sealed record StreamsDetail(bool Video, bool Audio);
