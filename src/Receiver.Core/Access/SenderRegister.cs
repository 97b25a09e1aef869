using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Receiver.Core.Access;

/// <summary>
/// The senders the receiver trusts without asking again, kept in a JSON file (normally <c>senders.json</c> in the
/// data directory). Every change is written at once, under a temporary name and then moved into place, so a crash
/// never leaves a half-written file. At most <see cref="Capacity"/> senders are kept: trusting one more forgets the
/// one seen longest ago. Thread-safe.
/// </summary>
public sealed partial class SenderRegister
{
    public const int Capacity = 1000;

    /// <summary>The register's file name in the data directory.</summary>
    public const string FileName = "senders.json";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, TrustedSender> _senders = new(StringComparer.Ordinal);
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Opens the register at <paramref name="path"/> (a missing file is an empty register; an unreadable one is set aside).</summary>
    public SenderRegister(string path, TimeProvider time, ILogger<SenderRegister>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(time);
        _path = Path.GetFullPath(path);
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        Load();
    }

    /// <summary>The register changed (a sender was trusted, revoked or seen).</summary>
    public event Action? Changed;

    /// <summary>The register's file.</summary>
    public string FilePath => _path;

    /// <summary>Every trusted sender, first trusted first.</summary>
    public IReadOnlyList<TrustedSender> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _senders.Values.OrderBy(s => s.AddedAt).ThenBy(s => s.DeviceId, StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The sender with <paramref name="deviceId"/> (any case), or null.</summary>
    public TrustedSender? Find(string deviceId)
    {
        if (!DeviceId.TryNormalize(deviceId, out var id))
        {
            return null;
        }

        lock (_gate)
        {
            return _senders.GetValueOrDefault(id);
        }
    }

    /// <summary>The sender that paired with <paramref name="ed25519PublicKey"/>, or null.</summary>
    public TrustedSender? FindByKey(ReadOnlySpan<byte> ed25519PublicKey)
    {
        if (ed25519PublicKey.IsEmpty)
        {
            return null;
        }

        lock (_gate)
        {
            foreach (var sender in _senders.Values)
            {
                if (sender.PublicKey is { } key && key.AsSpan().SequenceEqual(ed25519PublicKey))
                {
                    return sender;
                }
            }
        }

        return null;
    }

    /// <summary>Adds <paramref name="sender"/> or replaces the entry with its device id.</summary>
    public void Trust(TrustedSender sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var normal = sender with { DeviceId = DeviceId.Normalize(sender.DeviceId), PublicKey = sender.PublicKey?.ToArray() };
        lock (_gate)
        {
            if (!_senders.ContainsKey(normal.DeviceId) && _senders.Count >= Capacity)
            {
                var stalest = _senders.Values.MinBy(s => s.LastSeenAt)!;
                _senders.Remove(stalest.DeviceId);
                LogForgotten(_logger, stalest.DeviceId, Capacity);
            }

            _senders[normal.DeviceId] = normal;
            Save();
        }

        Changed?.Invoke();
    }

    /// <summary>Forgets <paramref name="deviceId"/>; false when it was not trusted.</summary>
    public bool Revoke(string deviceId)
    {
        if (!DeviceId.TryNormalize(deviceId, out var id))
        {
            return false;
        }

        lock (_gate)
        {
            if (!_senders.Remove(id))
            {
                return false;
            }

            Save();
        }

        Changed?.Invoke();
        return true;
    }

    /// <summary>Notes that <paramref name="deviceId"/> connected now; nothing when it is not trusted.</summary>
    public void Seen(string deviceId)
    {
        if (!DeviceId.TryNormalize(deviceId, out var id))
        {
            return;
        }

        lock (_gate)
        {
            if (!_senders.TryGetValue(id, out var sender))
            {
                return;
            }

            _senders[id] = sender with { LastSeenAt = _time.GetUtcNow() };
            Save();
        }

        Changed?.Invoke();
    }

    private void Load()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        try
        {
            var file = JsonSerializer.Deserialize(File.ReadAllBytes(_path), SenderRegisterJson.Default.SenderRegisterFile);
            foreach (var sender in file?.Senders ?? [])
            {
                if (DeviceId.TryNormalize(sender.DeviceId, out var id) && _senders.Count < Capacity)
                {
                    _senders[id] = sender with { DeviceId = id };
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            var aside = $"{_path}.{_time.GetUtcNow().ToUnixTimeSeconds()}.unreadable";
            LogUnreadable(_logger, _path, aside, ex);
            try
            {
                File.Move(_path, aside, overwrite: true);
            }
            catch (Exception moveError) when (moveError is IOException or UnauthorizedAccessException)
            {
                LogWriteFailed(_logger, aside, moveError);
            }

            _senders.Clear();
        }
    }

    /// <summary>Writes the register (called under the lock, so writes never overtake each other).</summary>
    private void Save()
    {
        var directory = Path.GetDirectoryName(_path)!;
        var temporary = Path.Combine(directory, $".{Path.GetFileName(_path)}.{Environment.ProcessId}.{RandomNumberGenerator.GetHexString(8, lowercase: true)}.tmp");
        try
        {
            Directory.CreateDirectory(directory);
            var content = JsonSerializer.SerializeToUtf8Bytes(
                new SenderRegisterFile(SenderRegisterFile.CurrentVersion, [.. _senders.Values.OrderBy(s => s.AddedAt)]),
                SenderRegisterJson.Default.SenderRegisterFile);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The register in memory stays right; the next change tries again.
            LogWriteFailed(_logger, _path, ex);
            try
            {
                File.Delete(temporary);
            }
            catch (Exception deleteError) when (deleteError is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "The sender register {Path} could not be read; it was moved to {Aside} and starts empty")]
    private static partial void LogUnreadable(ILogger logger, string path, string aside, Exception exception);

    [LoggerMessage(EventId = 701, Level = LogLevel.Error, Message = "Could not write the sender register {Path}")]
    private static partial void LogWriteFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "Sender register full ({Capacity}): forgot {DeviceId}, seen longest ago")]
    private static partial void LogForgotten(ILogger logger, string deviceId, int capacity);
}
