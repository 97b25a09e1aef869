namespace Receiver.Web.Tests.Audio;

/// <summary>The strongest frequency of decoded PCM, for checking that a test tone came through.</summary>
internal static class DominantFrequency
{
    /// <summary>Left channel of interleaved s16le stereo.</summary>
    public static double[] LeftChannel(byte[] s16Stereo)
    {
        var samples = new double[s16Stereo.Length / 4];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BitConverter.ToInt16(s16Stereo, i * 4);
        }

        return samples;
    }

    /// <summary>
    /// The frequency (Hz) with the most power in <paramref name="samples"/>: a DFT scan of 50…5000 Hz in 10 Hz
    /// steps, refined in 1 Hz steps around the best one.
    /// </summary>
    public static double Estimate(ReadOnlySpan<double> samples, int sampleRate)
    {
        var best = Scan(samples, sampleRate, 50, 5000, 10);
        return Scan(samples, sampleRate, best - 10, best + 10, 1);
    }

    private static double Scan(ReadOnlySpan<double> samples, int sampleRate, double from, double to, double step)
    {
        var best = from;
        var bestPower = -1.0;
        for (var f = from; f <= to; f += step)
        {
            double re = 0, im = 0;
            var w = 2 * Math.PI * f / sampleRate;
            for (var n = 0; n < samples.Length; n++)
            {
                re += samples[n] * Math.Cos(w * n);
                im -= samples[n] * Math.Sin(w * n);
            }

            var power = (re * re) + (im * im);
            if (power > bestPower)
            {
                bestPower = power;
                best = f;
            }
        }

        return best;
    }
}
