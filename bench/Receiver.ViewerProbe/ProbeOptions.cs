using System.Globalization;

namespace Receiver.ViewerProbe;

internal sealed record ProbeOptions(Uri Url, int Viewers, IReadOnlyList<string> Modes, double WarmupSeconds, double Seconds, double SessionWaitSeconds)
{
    public static ProbeOptions Parse(string[] args)
    {
        Uri? url = null;
        var viewers = 4;
        IReadOnlyList<string> modes = ["mse", "webcodecs"];
        double warmup = 3, seconds = 15, wait = 30;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--url": url = new Uri(value); break;
                case "--viewers": viewers = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--modes": modes = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--warmup": warmup = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--seconds": seconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--wait": wait = double.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }

            i++;
        }

        if (url is null || viewers < 1 || modes.Count == 0 || modes.Any(m => m is not ("mse" or "webcodecs")))
        {
            throw new ArgumentException("usage: --url http://host:port [--viewers N>=1] [--modes mse,webcodecs] [--warmup S] [--seconds S] [--wait S]");
        }

        return new ProbeOptions(url, viewers, modes, warmup, seconds, wait);
    }
}
