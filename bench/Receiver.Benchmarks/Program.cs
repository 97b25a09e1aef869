using BenchmarkDotNet.Running;
using Receiver.Benchmarks;

if (args is ["aes-speed", ..])
{
    return AesSpeed.Run(args.AsSpan(1));
}

BenchmarkSwitcher.FromAssembly(typeof(Fmp4Benchmarks).Assembly).Run(args);
return 0;
