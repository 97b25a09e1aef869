using System.Text.RegularExpressions;
using Receiver.Tests;

namespace Receiver.Core.Tests.Architecture;

/// <summary>
/// Receiver.Core has one folder per protocol concept and no folder cycles: the folders, ordered by the
/// <c>using Receiver.Core.X;</c> lines and fully qualified <c>Receiver.Core.X.</c> references of their files,
/// form a directed acyclic graph.
/// </summary>
public partial class FolderDependencyTests
{
    private static string CoreSource => Path.Combine(TestPaths.RepositoryRoot, "src", "Receiver.Core");

    [Fact]
    public void CoreFolders_HaveNoDependencyCycle()
    {
        var graph = FolderGraph.Build(CoreSource);
        Assert.True(graph.Count > 5, "the scan found the Receiver.Core folders");
        var cycle = FolderGraph.FindCycle(graph);
        Assert.True(cycle is null, "folder cycle: " + (cycle is null ? string.Empty : string.Join(" -> ", cycle)));
    }

    [Fact]
    public void Mirroring_DependsOnSessions_NotTheOtherWayRound()
    {
        var graph = FolderGraph.Build(CoreSource);
        Assert.DoesNotContain("Mirroring", graph["Sessions"]);
        Assert.DoesNotContain("Mirroring", graph["Media"]);
        Assert.DoesNotContain("Legacy", graph["Timing"]);
    }

    [Fact]
    public void FindCycle_TwoFolders_ReportsThem()
    {
        var graph = new Dictionary<string, SortedSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };
        Assert.Equal(["A", "B", "C", "A"], FolderGraph.FindCycle(graph));
    }

    [Fact]
    public void FindCycle_Acyclic_ReturnsNull()
    {
        var graph = new Dictionary<string, SortedSet<string>> { ["A"] = ["B", "C"], ["B"] = ["C"], ["C"] = [] };
        Assert.Null(FolderGraph.FindCycle(graph));
    }

    [Fact]
    public void References_UsingAndQualifiedNames_AreBothFound()
    {
        const string source = "using Receiver.Core.Media;\nusing AnnexB = Receiver.Core.Mirroring.Tools;\nvar x = new global::Receiver.Core.Timing.SenderClock();\n// Receiver.Core is the assembly";
        Assert.Equal(["Media", "Mirroring", "Timing"], FolderGraph.References(source));
    }

    private static partial class FolderGraph
    {
        public static Dictionary<string, SortedSet<string>> Build(string root)
        {
            var graph = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
            foreach (var directory in Directory.GetDirectories(root))
            {
                var folder = Path.GetFileName(directory);
                if (folder is "bin" or "obj")
                {
                    continue;
                }

                var edges = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var file in Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories))
                {
                    edges.UnionWith(References(File.ReadAllText(file)).Where(target => target != folder));
                }

                graph[folder] = edges;
            }

            return graph;
        }

        public static SortedSet<string> References(string source) =>
            new(ReferencePattern().Matches(source).Select(match => match.Groups[1].Value), StringComparer.Ordinal);

        /// <summary>A cycle as the folders along it (first repeated at the end), or null.</summary>
        public static List<string>? FindCycle(Dictionary<string, SortedSet<string>> graph)
        {
            var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the path, 2 = done
            var path = new List<string>();
            foreach (var start in graph.Keys.Order(StringComparer.Ordinal))
            {
                if (Visit(start) is { } cycle)
                {
                    return cycle;
                }
            }

            return null;

            List<string>? Visit(string node)
            {
                if (state.GetValueOrDefault(node) == 2)
                {
                    return null;
                }

                if (state.GetValueOrDefault(node) == 1)
                {
                    return [.. path[path.IndexOf(node)..], node];
                }

                state[node] = 1;
                path.Add(node);
                foreach (var next in graph.GetValueOrDefault(node) ?? [])
                {
                    if (Visit(next) is { } cycle)
                    {
                        return cycle;
                    }
                }

                path.RemoveAt(path.Count - 1);
                state[node] = 2;
                return null;
            }
        }

        // "using Receiver.Core.X;", "using A = Receiver.Core.X.Y;" and "Receiver.Core.X.Type" in code.
        [GeneratedRegex(@"\bReceiver\.Core\.([A-Z][A-Za-z0-9]*)\b(?=\s*[;.])")]
        private static partial Regex ReferencePattern();
    }
}
