using Receiver.Fuzz;

namespace Receiver.Core.Tests.Fuzzing;

/// <summary>
/// Replays every fuzz corpus (fuzz/corpus/TARGET: the seeds and what AFL++ found new) and every input that once crashed
/// a parser (fuzz/crashes/TARGET) through the same targets the fuzzer runs, so the ordinary test run needs no fuzzer.
/// A parser may refuse an input only with its protocol's own exception.
/// </summary>
public sealed class FuzzCorpusTests
{
    public static TheoryData<string> Targets => new(FuzzTargets.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Corpus_EveryInput_ParsedOrRefusedWithTheProtocolsOwnError(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var corpus = Path.Combine(TestPaths.RepositoryRoot, "fuzz", "corpus", name);
        var crashes = Path.Combine(TestPaths.RepositoryRoot, "fuzz", "crashes", name);
        var files = Directory.GetFiles(corpus).Concat(Directory.Exists(crashes) ? Directory.GetFiles(crashes) : []).Order().ToArray();

        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var input = File.ReadAllBytes(file);
            var error = Record.Exception(() => target.Execute(input));
            Assert.True(error is null, $"{Path.GetRelativePath(TestPaths.RepositoryRoot, file)}: {error}");
        }
    }

    [Fact]
    public void Targets_EachHasACorpus()
    {
        foreach (var target in FuzzTargets.All)
        {
            var corpus = Path.Combine(TestPaths.RepositoryRoot, "fuzz", "corpus", target.Name);
            Assert.True(Directory.Exists(corpus) && Directory.GetFiles(corpus).Length > 0, $"{target.Name} has no corpus");
        }
    }

    [Fact]
    public void MirrorStreamSeeds_ReachPicturesInBothCodecs()
    {
        // The seeds are whole connections as the sender simulator writes them: the target must get past framing,
        // codec data and decryption to NAL units, or the fuzzer would only ever see the framing.
        var corpus = Path.Combine(TestPaths.RepositoryRoot, "fuzz", "corpus", "mirror-stream");
        var outcomes = Directory.GetFiles(corpus, "seed-*").Select(f => MirrorStreamTarget.Feed(File.ReadAllBytes(f))).ToArray();

        Assert.All(outcomes, o => Assert.True(o.Frames > 0, $"a seed produced no picture ({o.Codec})"));
        Assert.Contains(outcomes, o => o.Codec == Receiver.Core.Media.VideoCodec.H264);
        Assert.Contains(outcomes, o => o.Codec == Receiver.Core.Media.VideoCodec.H265);
    }

    [Fact]
    public void Execute_RuntimeException_Escapes()
    {
        // A parser's own refusal is swallowed; anything else is a finding and must reach the fuzzer.
        var target = new FuzzTarget("probe", "", data => _ = data[data.Length]);
        Assert.Throws<IndexOutOfRangeException>(() => target.Execute([1, 2]));
        new FuzzTarget("probe", "", _ => throw new Receiver.Core.Plist.PlistFormatException("bad")).Execute([]);
    }
}
