namespace Receiver.Sender.Sessions;

/// <summary>One step of the sender flow: its RTSP status (0 when the step had no request), outcome and duration.</summary>
public sealed record StepResult(string Name, int Status, bool Ok, double DurationMs, string? Detail);
