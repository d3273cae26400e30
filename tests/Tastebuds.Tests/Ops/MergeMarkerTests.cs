namespace Tastebuds.Tests.Ops;

/// <summary>
/// A merge that left a conflict's markers in a file still builds when the file is documentation or SQL that no test
/// reads whole (docs/benchmarks.md once held one for a session); this walks every text file of the repository.
/// </summary>
public class MergeMarkerTests
{
    private static readonly string[] TextFiles = ["*.cs", "*.md", "*.sql", "*.json", "*.yaml", "*.yml", "*.csproj", "*.sln", "*.sh", "*.service", "Dockerfile", "run"];

    private static readonly string[] Skipped = ["bin", "obj", ".git", "node_modules"];

    [Test]
    public void No_file_of_the_repository_holds_a_merge_conflict_marker()
    {
        var found = new List<string>();
        foreach (var file in Files(new DirectoryInfo(RepositoryFiles.Root)))
        {
            var lines = File.ReadAllLines(file.FullName);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].StartsWith("<<<<<<< ", StringComparison.Ordinal) || lines[i].StartsWith(">>>>>>> ", StringComparison.Ordinal)
                    || lines[i] == "<<<<<<<" || lines[i] == ">>>>>>>")
                {
                    found.Add($"{Path.GetRelativePath(RepositoryFiles.Root, file.FullName)}:{i + 1}: {lines[i]}");
                }
            }
        }

        Assert.That(found, Is.Empty, "conflict markers left by a merge");
    }

    [Test]
    public void The_walk_reads_the_documentation_and_the_migrations()
    {
        var files = Files(new DirectoryInfo(RepositoryFiles.Root)).Select(f => Path.GetRelativePath(RepositoryFiles.Root, f.FullName)).ToList();
        Assert.That(files, Does.Contain(Path.Combine("docs", "benchmarks.md")).And.Contain(Path.Combine("sql", "0001_catalog_users_interactions.sql"))
            .And.Contain(Path.Combine(".ci", "run")).And.Contain("README.md"));
    }

    private static IEnumerable<FileInfo> Files(DirectoryInfo directory)
    {
        foreach (var pattern in TextFiles)
        {
            foreach (var file in directory.EnumerateFiles(pattern))
            {
                yield return file;
            }
        }

        foreach (var child in directory.EnumerateDirectories().Where(d => !Skipped.Contains(d.Name)))
        {
            foreach (var file in Files(child))
            {
                yield return file;
            }
        }
    }
}
