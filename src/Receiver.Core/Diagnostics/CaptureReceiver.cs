namespace Receiver.Core.Diagnostics;

/// <summary>
/// The receiver as a capture describes it: its software version, what it advertises, and the options that shape the
/// protocol (codecs, limits, access mode) as name/value pairs. Never credentials.
/// </summary>
public sealed record CaptureReceiver(
    string Version,
    string Name,
    string Model,
    string SourceVersion,
    string Features,
    IReadOnlyList<KeyValuePair<string, string>> Options);
