using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Receiver.Core.Pairing;

namespace Receiver.Benchmarks;

/// <summary>
/// The receiver's cost of one PIN pairing (pair-setup-pin, SRP-6a SHA-1 over the 2048-bit group): step 1 (verifier and
/// B: two modular exponentiations), step 2 (S: two more, plus the proofs) and step 3 (AES-GCM), each with its plist.
/// </summary>
[MemoryDiagnoser]
public class PinPairingBenchmarks : IDisposable
{
    private const string Pin = "4821";
    private PairingIdentity _receiver = null!;
    private PairingIdentity _sender = null!;
    private byte[][] _bodies = [];
    private PinPairingSession _atStep2 = null!;
    private PinPairingSession _atStep3 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _receiver = PairingIdentity.CreateRandom();
        _sender = PairingIdentity.CreateRandom();
        var session = new PinPairingSession(_receiver, new SeededRandom(1));
        var client = new PinPairingClient("AA:BB:CC:DD:EE:FF", Pin, _sender, new SeededRandom(2));
        var step1 = client.CreateStep1Request();
        var step2 = client.ProcessStep1Response(session.Handle(step1, Pin).Body!);
        var step3 = client.ProcessStep2Response(session.Handle(step2, Pin).Body!);
        _bodies = [step1, step2, step3];
        _atStep2 = new PinPairingSession(_receiver, new SeededRandom(1));
        _atStep2.Handle(step1, Pin);
        _atStep3 = _atStep2.Fork();
        _atStep3.Handle(step2, Pin);
        if (_atStep3.Fork().Handle(step3, Pin).Outcome != PinPairingOutcome.Completed)
        {
            throw new InvalidOperationException("The prepared pairing does not complete.");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _receiver.Dispose();
        _sender.Dispose();
    }

    /// <summary>Steps 1 and 2: all the SRP arithmetic of one pairing.</summary>
    [Benchmark(Baseline = true)]
    public PinPairingOutcome Steps1And2()
    {
        var session = new PinPairingSession(_receiver, new SeededRandom(1));
        session.Handle(_bodies[0], Pin);
        return session.Handle(_bodies[1], Pin).Outcome;
    }

    [Benchmark]
    public PinPairingOutcome Step1() => new PinPairingSession(_receiver, new SeededRandom(1)).Handle(_bodies[0], Pin).Outcome;

    [Benchmark]
    public PinPairingOutcome Step2() => _atStep2.Fork().Handle(_bodies[1], Pin).Outcome;

    [Benchmark]
    public PinPairingOutcome Step3() => _atStep3.Fork().Handle(_bodies[2], Pin).Outcome;

    /// <summary>A deterministic random source, so the prepared client bodies match the receiver's salt and B.</summary>
    private sealed class SeededRandom(int seed) : RandomNumberGenerator
    {
        private readonly Random _random = new(seed);

        public override void GetBytes(byte[] data) => _random.NextBytes(data);

        public override void GetBytes(Span<byte> data) => _random.NextBytes(data);
    }
}
