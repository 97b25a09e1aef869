using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Receiver.Benchmarks.Fmp4Benchmarks).Assembly).Run(args);
