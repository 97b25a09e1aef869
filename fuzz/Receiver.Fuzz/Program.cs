using Receiver.Fuzz;
using SharpFuzz;

// Receiver.Fuzz TARGET            run under afl-fuzz (fuzz/run.sh instruments Receiver.Core first)
// Receiver.Fuzz TARGET FILE...     run the target once per file and print the slowest (a crash throws)
// Receiver.Fuzz --list             the targets
// Receiver.Fuzz --seed CORPUS VECTORS   write each target's starting corpus
if (args.Length == 3 && args[0] == "--seed")
{
    await SeedCorpus.WriteAsync(args[1], args[2]);
    return 0;
}

if (args.Length == 0 || args[0] == "--list")
{
    foreach (var t in FuzzTargets.All)
    {
        Console.WriteLine($"{t.Name,-22} {t.Description}");
    }

    return args.Length == 0 ? 2 : 0;
}

var target = FuzzTargets.Find(args[0]);
if (target is null)
{
    Console.Error.WriteLine($"unknown target {args[0]}; --list names them");
    return 2;
}

if (args.Length > 1)
{
    // Every input once to warm up (JIT), then again timed: a crash ends the process with the exception.
    var files = args.Skip(1).SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]).Order().ToArray();
    var inputs = files.Select(File.ReadAllBytes).ToArray();
    foreach (var input in inputs)
    {
        target.Execute(input);
    }

    var slowest = (Ms: 0.0, File: "");
    for (var i = 0; i < inputs.Length; i++)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        target.Execute(inputs[i]);
        if (watch.Elapsed.TotalMilliseconds > slowest.Ms)
        {
            slowest = (watch.Elapsed.TotalMilliseconds, files[i]);
        }
    }

    Console.WriteLine($"{target.Name}: {inputs.Length} inputs, slowest {slowest.Ms:F2} ms ({Path.GetFileName(slowest.File)})");
    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    target.Execute(memory.ToArray());
});
return 0;
