namespace Receiver.Web.Recording;

/// <summary>Why a recording stopped.</summary>
public enum RecordingStopReason
{
    /// <summary>Someone stopped it (<c>DELETE /api/sessions/{id}/recording</c>, the dashboard).</summary>
    Requested,

    /// <summary>Its session ended.</summary>
    SessionEnded,

    /// <summary>The receiver shut down.</summary>
    Shutdown,

    /// <summary>The next fragment would have taken it past <c>Receiver:Recording:MaxBytes</c>.</summary>
    MaxBytes,

    /// <summary>The volume reached <c>Receiver:Recording:MinFreeBytes</c>, or a write found it full.</summary>
    DiskFull,

    /// <summary>A write failed for another reason (an I/O error, no permission, a fragment that could not be rewritten).</summary>
    WriteFailed,
}

/// <summary>The names clients see for a <see cref="RecordingStopReason"/>.</summary>
public static class RecordingStopReasons
{
    /// <summary>requested, session-ended, shutdown, max-bytes, disk-full or write-failed.</summary>
    public static string Name(this RecordingStopReason reason) => reason switch
    {
        RecordingStopReason.Requested => "requested",
        RecordingStopReason.SessionEnded => "session-ended",
        RecordingStopReason.Shutdown => "shutdown",
        RecordingStopReason.MaxBytes => "max-bytes",
        RecordingStopReason.DiskFull => "disk-full",
        _ => "write-failed",
    };

    /// <summary>True when the write failed because the volume (or the user's quota) is full.</summary>
    public static bool IsDiskFull(IOException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var code = exception.HResult;
        if (OperatingSystem.IsWindows())
        {
            // ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL as HRESULTs.
            return code is unchecked((int)0x80070070) or unchecked((int)0x80070027);
        }

        // On Unix the HResult is the errno: ENOSPC (28 on Linux and macOS), EDQUOT (122 on Linux, 69 on macOS).
        return code == 28 || (OperatingSystem.IsLinux() && code == 122) || (OperatingSystem.IsMacOS() && code == 69);
    }
}
