using Receiver.LoadBench;

namespace Receiver.Web.Tests.Bench;

/// <summary>
/// The ingest comparison's page-cache preparation: the <c>--page-state</c> option, the scratch file the driver writes
/// and deletes before each run, and the table heading that says which was used.
/// </summary>
public sealed class IngestPageStateTests
{
    private static LoadOptions ParseIngest(params string[] extra) =>
        LoadOptions.Parse(["ingest", "--uxplay-port", "7000", "--uxplay-pid", "1", .. extra]);

    [Fact]
    public void Parse_NoPageState_IsHot()
    {
        Assert.Equal(PageState.Hot, ParseIngest().PageState);
    }

    [Theory]
    [InlineData("hot", PageState.Hot)]
    [InlineData("as-is", PageState.AsIs)]
    public void Parse_PageState_TakesHotOrAsIs(string value, PageState expected)
    {
        Assert.Equal(expected, ParseIngest("--page-state", value).PageState);
    }

    [Theory]
    [InlineData("cold")]
    [InlineData("")]
    public void Parse_UnknownPageState_IsAFormatError(string value)
    {
        var error = Assert.Throws<FormatException>(() => ParseIngest("--page-state", value));
        Assert.Contains("--page-state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScratchWrite_WritesTwiceTheSizeInBothKindsOfWrites_ThenDeletesTheFile()
    {
        var directory = Directory.CreateTempSubdirectory("scratch-test-").FullName;
        try
        {
            const long Bytes = 3 * 1024 * 1024 + 12_345;
            long seenLength = -1;
            var (written, deletedWhen) = await ScratchWrite.WriteAndDeleteAsync(directory, Bytes, _ =>
            {
                // Still there while the driver waits for the moment to delete it.
                var file = Assert.Single(Directory.GetFiles(directory));
                seenLength = new FileInfo(file).Length;
                return Task.FromResult("after the wait");
            }, CancellationToken.None);

            Assert.Equal("after the wait", deletedWhen);
            Assert.True(written > TimeSpan.Zero);
            // At least the size in picture-sized writes (at most one more picture of 80 KiB) plus at least the size in
            // whole MiB writes (at most one MiB more).
            Assert.InRange(seenLength, 2 * Bytes, (2 * Bytes) + (81 * 1024) + (1024 * 1024));
            Assert.Empty(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ScratchWrite_WaitCancelled_StillDeletesTheFile()
    {
        var directory = Directory.CreateTempSubdirectory("scratch-test-").FullName;
        try
        {
            await Assert.ThrowsAsync<OperationCanceledException>(() => ScratchWrite.WriteAndDeleteAsync(
                directory, 64 * 1024, _ => throw new OperationCanceledException(), CancellationToken.None));
            Assert.Empty(Directory.GetFiles(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("hot", "--page-state hot")]
    [InlineData("as-is", "--page-state as-is")]
    public void Report_Heading_SaysWhichPageStateWasUsed(string value, string expected)
    {
        var options = ParseIngest("--page-state", value);
        IngestRun[] runs =
        [
            new("UxPlay 1.62", 1, 0.30, 0.6, 10_800, 452_000_000, 451_000_000, null, null),
            new("this receiver", 1, 0.36, 0.5, 10_800, 452_000_000, 451_000_000, 0, null, HandedBackMegabytes: 117),
        ];

        var report = IngestComparison.Report(runs, options);

        Assert.Contains(expected, report.Split('\n')[0], StringComparison.Ordinal);
        Assert.Contains("| 117 |", report, StringComparison.Ordinal);
        Assert.Contains("ratio of medians): **1.20**", report, StringComparison.Ordinal);
    }
}
