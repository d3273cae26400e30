using YamlDotNet.RepresentationModel;

namespace Tastebuds.Tests.Ops;

internal static class RepositoryFiles
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    /// <summary>Every YAML document of a file (--- separated), as mappings.</summary>
    public static IReadOnlyList<YamlMappingNode> YamlDocuments(params string[] parts)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(Read(parts));
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Worker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Worker.sln not found above the test binaries.");
    }
}

internal static class YamlExtensions
{
    public static YamlNode? At(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                current = next;
            }
            else if (current is YamlSequenceNode list && int.TryParse(key, out var index) && index < list.Children.Count)
            {
                current = list.Children[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    public static string? Text(this YamlNode node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;
}
