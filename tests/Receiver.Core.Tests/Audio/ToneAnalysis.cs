namespace Receiver.Core.Tests.Audio;

/// <summary>Pitch over time of decoded PCM, to compare what was sent with what came out.</summary>
internal static class ToneAnalysis
{
    /// <summary>Reads interleaved s16le stereo and returns the left channel as doubles.</summary>
    public static double[] LeftChannel(byte[] s16Stereo)
    {
        var samples = new double[s16Stereo.Length / 4];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BitConverter.ToInt16(s16Stereo, i * 4);
        }

        return samples;
    }

    /// <summary>The dominant frequency (Hz) of each window, by a DFT scan of 100…2000 Hz in 5 Hz steps.</summary>
    public static double[] DominantFrequencies(double[] samples, int sampleRate, int window)
    {
        var result = new List<double>();
        for (var start = 0; start + window <= samples.Length; start += window)
        {
            var best = 0.0;
            var bestPower = -1.0;
            for (var f = 100.0; f <= 2000; f += 5)
            {
                double re = 0, im = 0;
                var w = 2 * Math.PI * f / sampleRate;
                for (var n = 0; n < window; n++)
                {
                    var s = samples[start + n];
                    re += s * Math.Cos(w * n);
                    im -= s * Math.Sin(w * n);
                }

                var power = (re * re) + (im * im);
                if (power > bestPower)
                {
                    bestPower = power;
                    best = f;
                }
            }

            result.Add(best);
        }

        return [.. result];
    }

    /// <summary>Root mean square of the samples.</summary>
    public static double Rms(ReadOnlySpan<double> samples)
    {
        double sum = 0;
        foreach (var s in samples)
        {
            sum += s * s;
        }

        return samples.Length == 0 ? 0 : Math.Sqrt(sum / samples.Length);
    }
}
