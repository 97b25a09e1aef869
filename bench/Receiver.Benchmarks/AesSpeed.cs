using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Receiver.Core.Crypto;

namespace Receiver.Benchmarks;

/// <summary>
/// <c>aes-speed BYTES SECONDS KEYSTREAM [elapsed]</c>: AES-128-CTR measured the way
/// <c>openssl speed -evp aes-128-ctr -bytes BYTES -seconds SECONDS</c> measures it, so the two can be set side by side
/// (bench/aes-vs-openssl.sh). One buffer of BYTES is transformed in place, over one continuous keystream, again and
/// again for SECONDS of wall-clock time, after a second of warm-up; the bytes done are divided by the CPU time this
/// thread used (OpenSSL divides by its user CPU time), or by the wall-clock time with <c>elapsed</c> (OpenSSL's
/// <c>-elapsed</c>). CPU time keeps the figure steady on a machine shared with other work. KEYSTREAM is
/// <c>AesNi</c> or <c>Platform</c> (the OpenSSL-ECB fallback). Prints bytes per second.
/// </summary>
internal static class AesSpeed
{
    public static int Run(ReadOnlySpan<string> args)
    {
        if (args.Length is < 3 or > 4 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out var bytes) || bytes <= 0
            || !double.TryParse(args[1], CultureInfo.InvariantCulture, out var seconds) || seconds <= 0
            || !Enum.TryParse<AesImplementation>(args[2], out var implementation)
            || (args.Length == 4 && args[3] != "elapsed"))
        {
            Console.Error.WriteLine("usage: aes-speed BYTES SECONDS AesNi|Platform [elapsed]");
            return 2;
        }

        var elapsed = args.Length == 4;
        using var ctr = new AesCtr(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), implementation);
        var buffer = RandomNumberGenerator.GetBytes(bytes);
        Loop(ctr, buffer, TimeSpan.FromSeconds(1));

        var cpuBefore = ThreadCpuTime();
        var clock = Stopwatch.StartNew();
        var done = Loop(ctr, buffer, TimeSpan.FromSeconds(seconds));
        var wall = clock.Elapsed;
        var cpu = ThreadCpuTime() - cpuBefore;
        var divisor = elapsed ? wall : cpu;
        Console.WriteLine((done / divisor.TotalSeconds).ToString("F0", CultureInfo.InvariantCulture));
        return 0;
    }

    private static long Loop(AesCtr ctr, byte[] buffer, TimeSpan duration)
    {
        long done = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            // Check the clock every 64 calls, as OpenSSL counts calls until its alarm.
            for (var i = 0; i < 64; i++)
            {
                ctr.Transform(buffer, buffer);
            }

            done += 64L * buffer.Length;
        }

        return done;
    }

    /// <summary>CPU time this thread has run (user and system), from the scheduler's nanosecond count.</summary>
    private static TimeSpan ThreadCpuTime()
    {
        var fields = File.ReadAllText("/proc/thread-self/schedstat").Split(' ');
        return TimeSpan.FromTicks(long.Parse(fields[0], CultureInfo.InvariantCulture) / 100);
    }
}
