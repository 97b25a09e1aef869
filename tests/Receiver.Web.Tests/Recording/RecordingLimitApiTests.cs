using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Receiver.Web.Options;
using Receiver.Web.Recording;
using Receiver.Web.Tests.Admin;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Recording;

/// <summary>Recording limits as options, the refusals of the API, and the sweep of old recordings.</summary>
/// <remarks>
/// Serial: a test reads <c>/metrics</c>, and meters are process-wide, so another host's <c>Receiver</c> meter alive at
/// the same time can stand in the export for this host's instrument of the same name.
/// </remarks>
[Collection(SerialCollection.Name)]
public sealed class RecordingLimitApiTests
{
    private const long GiB = 1024L * 1024 * 1024;

    [Fact]
    public async Task Defaults_AreTheDocumentedOnes_MaxConcurrentFollowsTheSessionCap()
    {
        var options = new ReceiverOptions().Recording;
        Assert.Equal((4 * GiB, 30, 1 * GiB, (int?)null), (options.MaxBytes, options.MaxAgeDays, options.MinFreeBytes, options.MaxConcurrent));

        await using var host = await ReceiverHost.StartAsync("--Receiver:Sessions:Max=3");
        Assert.Equal(3, host.App.Services.GetRequiredService<RecordingService>().MaxConcurrent);
    }

    [Theory]
    [InlineData("--Receiver:Recording:MaxBytes=1000", "MaxBytes")]
    [InlineData("--Receiver:Recording:MaxAgeDays=-1", "MaxAgeDays")]
    [InlineData("--Receiver:Recording:MinFreeBytes=-1", "MinFreeBytes")]
    [InlineData("--Receiver:Recording:MaxConcurrent=0", "MaxConcurrent")]
    public async Task Limits_OutOfRange_StopTheReceiverAtStartWithTheReason(string argument, string name)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await (await ReceiverHost.StartAsync(argument)).DisposeAsync());
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_VolumeBelowTheFloor_507SaysWhy_SessionGoesOn()
    {
        var volume = new FakeVolume(512L * 1024 * 1024);
        await using var host = await ReceiverHost.StartAsync(s => s.AddSingleton<IVolumeFreeSpace>(volume));
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var session = AdminSessions.Start(host, "Anna's iPhone");

        var response = await http.PostAsync($"/api/sessions/{session.Id}/recording", null);

        Assert.Equal(HttpStatusCode.InsufficientStorage, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal("Not enough free space", problem.Title);
        Assert.Contains("536870912 bytes free", problem.Detail, StringComparison.Ordinal);
        Assert.Contains("Receiver:Recording:MinFreeBytes", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/sessions/{session.Id}/recording")).StatusCode);
        Assert.False(session.HasEnded);
        Assert.Equal(1, host.App.Services.GetRequiredService<RecordingService>().Refused);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Matches(new System.Text.RegularExpressions.Regex(@"^receiver_recordings_refused\S* 1( |$)", System.Text.RegularExpressions.RegexOptions.Multiline), metrics);

        // Room again (files deleted): the same request starts the recording.
        volume.Available = 8 * GiB;
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync($"/api/sessions/{session.Id}/recording", null)).StatusCode);
    }

    [Fact]
    public async Task Automatic_VolumeBelowTheFloor_SessionIsNotRecordedAndGoesOn()
    {
        var volume = new FakeVolume(GiB + 1000);
        await using var host = await ReceiverHost.StartAsync(s => s.AddSingleton<IVolumeFreeSpace>(volume), "--Receiver:Recording:Automatic=true");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var recordings = host.App.Services.GetRequiredService<RecordingService>();

        var session = AdminSessions.Start(host, "Anna's iPhone");

        Assert.Equal(1, recordings.Refused);
        Assert.Null(recordings.Get(session.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/sessions/{session.Id}/recording")).StatusCode);
        Assert.False(session.HasEnded);

        volume.Available = 8 * GiB;
        var next = AdminSessions.Start(host, "Ben's iPad");
        Assert.True(recordings.Get(next.Id)?.Active);
    }

    [Fact]
    public async Task MaxConcurrent_OneMoreIs409WithTheReason_AFreedPlaceIsTaken()
    {
        await using var host = await ReceiverHost.StartAsync(s => s.AddSingleton<IVolumeFreeSpace>(new FakeVolume(8 * GiB)), "--Receiver:Recording:MaxConcurrent=1");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var first = AdminSessions.Start(host, "Anna's iPhone");
        var second = AdminSessions.Start(host, "Ben's iPad");

        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync($"/api/sessions/{first.Id}/recording", null)).StatusCode);
        var refused = await http.PostAsync($"/api/sessions/{second.Id}/recording", null);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = (await refused.Content.ReadFromJsonAsync<ProblemDetails>())!;
        Assert.Equal("Too many recordings", problem.Title);
        Assert.Contains("Receiver:Recording:MaxConcurrent = 1", problem.Detail, StringComparison.Ordinal);
        var already = await http.PostAsync($"/api/sessions/{first.Id}/recording", null);
        Assert.Equal("Already recording", (await already.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);

        var stopped = (await (await http.DeleteAsync($"/api/sessions/{first.Id}/recording")).Content.ReadFromJsonAsync<RecordingInfo>(RecordingChecks.Json))!;
        Assert.Equal("requested", stopped.Reason);
        Assert.Equal(HttpStatusCode.Created, (await http.PostAsync($"/api/sessions/{second.Id}/recording", null)).StatusCode);
    }

    [Fact]
    public async Task Shutdown_StopsRecordingsWithTheReasonShutdown()
    {
        await using var host = await ReceiverHost.StartAsync(s => s.AddSingleton<IVolumeFreeSpace>(new FakeVolume(8 * GiB)));
        var recordings = host.App.Services.GetRequiredService<RecordingService>();
        var session = AdminSessions.Start(host, "Anna's iPhone");
        Assert.NotNull(recordings.Start(session).Info);

        await host.App.StopAsync();

        Assert.Equal(("shutdown", false), (recordings.Get(session.Id)?.Reason, recordings.Get(session.Id)?.Active));
    }

    [Fact]
    public async Task Sweep_AtStartAndEveryHour_DeletesRecordingsPastMaxAgeDays_KeepsTheRest()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var folder = Path.Combine(Path.GetTempPath(), "airplay-receiver-tests", "sweep-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var old = Touch(folder, "0123456789ab-20261001-120000.mp4", clock.GetUtcNow() - TimeSpan.FromDays(40));
            var young = Touch(folder, "0123456789ab-20261105-120000.mp4", clock.GetUtcNow() - TimeSpan.FromDays(29) - TimeSpan.FromHours(1));
            var fresh = Touch(folder, "0123456789ab-20261204-120000-2.mp4", clock.GetUtcNow() - TimeSpan.FromHours(1));
            var notOurs = Touch(folder, "notes.txt", clock.GetUtcNow() - TimeSpan.FromDays(400));
            var hidden = Touch(folder, ".hidden.mp4", clock.GetUtcNow() - TimeSpan.FromDays(400));

            await using var host = await ReceiverHost.StartAsync(s => s.AddSingleton<TimeProvider>(clock),
                $"--Receiver:Recording:Directory={folder}", "--Receiver:Recording:MaxAgeDays=30");
            var sweeper = host.App.Services.GetRequiredService<RecordingSweeper>();

            // At start: the 40-day-old recording goes.
            await Eventually.TrueAsync(() => !File.Exists(old));
            Assert.True(File.Exists(young) && File.Exists(fresh) && File.Exists(notOurs) && File.Exists(hidden));

            // A day later the 29-day-old one is past 30 days: the next hourly sweep deletes it.
            clock.Advance(TimeSpan.FromDays(1));
            await Eventually.TrueAsync(() => !File.Exists(young));
            Assert.True(File.Exists(fresh) && File.Exists(notOurs) && File.Exists(hidden));
            Assert.Equal(2, sweeper.Deleted);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Sweep_MaxAgeDaysZero_KeepsEverything()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Recording:MaxAgeDays=0");
        var recordings = host.App.Services.GetRequiredService<RecordingService>();
        Directory.CreateDirectory(recordings.Directory);
        var ancient = Touch(recordings.Directory, "0123456789ab-20200101-120000.mp4", DateTimeOffset.UtcNow - TimeSpan.FromDays(2000));

        Assert.Empty(host.App.Services.GetRequiredService<RecordingSweeper>().Sweep());
        Assert.True(File.Exists(ancient));
    }

    private static string Touch(string folder, string name, DateTimeOffset modified)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, [0, 0, 0, 8, (byte)'f', (byte)'r', (byte)'e', (byte)'e']);
        File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
        return path;
    }
}
