using Receiver.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Frontend;

/// <summary>
/// The browser modules under src/Receiver.Web/wwwroot/js are type-checked by TypeScript (src/Receiver.Web/tsconfig.json:
/// checkJs, strict, JSDoc types): <c>tsc --noEmit -p src/Receiver.Web</c> must report nothing.
/// </summary>
[Collection(SerialCollection.Name)]
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
        var (exit, log) = await ExternalTools.RunAsync("node", [tsc, "--noEmit", "-p", "."], TimeSpan.FromMinutes(3), Project);
        output.WriteLine(log);
        Assert.True(exit == 0, $"tsc --noEmit -p src/Receiver.Web reported errors (exit {exit}):\n{log}");
    }
}
