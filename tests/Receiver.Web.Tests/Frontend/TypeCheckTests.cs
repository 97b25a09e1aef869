using System.Diagnostics;
using Receiver.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Frontend;

/// <summary>
/// The browser modules under src/Receiver.Web/wwwroot/js are type-checked by TypeScript (src/Receiver.Web/tsconfig.json:
/// checkJs, strict, JSDoc types): <c>tsc --noEmit -p src/Receiver.Web</c> must report nothing.
/// </summary>
public sealed class TypeCheckTests(ITestOutputHelper output)
{
    private static readonly string Project = Path.Combine(TestPaths.RepositoryRoot, "src", "Receiver.Web");

    [NodeFact]
    public async Task BrowserModules_TypeCheck_WithoutErrors()
    {
        var tsc = Path.Combine(Project, "node_modules", "typescript", "bin", "tsc");
        if (!File.Exists(tsc))
        {
            // A fresh clone: the compiler is a devDependency of src/Receiver.Web/package.json (test.sh installs it too).
            var (installExit, installLog) = await ExternalTools.RunAsync(
                "npm", ["install", "--no-audit", "--no-fund", "--prefix", Project], TimeSpan.FromMinutes(5));
            Assert.True(installExit == 0 && File.Exists(tsc), $"npm install in {Project} failed:\n{installLog}");
        }

        // Run in the project's folder so that errors name files as wwwroot/js/….
        var (exit, log) = await RunInProjectAsync("node", tsc, "--noEmit", "-p", ".");
        output.WriteLine(log);
        Assert.True(exit == 0, $"tsc --noEmit -p src/Receiver.Web reported errors (exit {exit}):\n{log}");
    }

    private static async Task<(int ExitCode, string Output)> RunInProjectAsync(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = Project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
