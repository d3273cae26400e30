using Spectre.Console;
using Spectre.Console.Rendering;

namespace Tastebuds.Worker.Cli;

/// <summary>Aligned result tables on stdout; wide enough not to wrap when the output goes to a file or a pipe.</summary>
internal static class OutputTable
{
    public static Table Create() => new Table().Border(TableBorder.Rounded);

    public static Table Column(this Table table, string header, bool right = false)
    {
        var column = new TableColumn(header);
        return table.AddColumn(right ? column.RightAligned() : column);
    }

    /// <summary>
    /// Cells are plain text, control characters escaped: names from Last.fm may contain Spectre markup characters,
    /// terminal escape sequences or newlines.
    /// </summary>
    public static Table Row(this Table table, params string[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(TerminalText.Escape(c))).ToArray());

    public static void Print(Table table)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 240;
        }

        console.Write(table);
    }
}
