using Spectre.Console;
using Spectre.Console.Rendering;

namespace NanoDet.Host.Runtime;

/// <summary>
/// Literal text for the Spectre console. Spectre's markup reads <c>[...]</c> as a style and <c>:name:</c> as an
/// emoji (so the key <c>data:train:count</c> would print as <c>data🚆count</c>), and <see cref="Markup.Escape"/>
/// only handles the brackets. Everything this tool prints that is not its own fixed markup (keys, paths, values,
/// class names, messages) goes through these helpers, which build <see cref="Text"/> renderables: never parsed.
/// </summary>
internal static class ConsoleText
{
    /// <summary>A renderable that shows <paramref name="text"/> exactly, optionally styled.</summary>
    public static Text Literal(string text, Style? style = null) => new(text, style ?? Style.Plain);

    /// <summary>Writes <paramref name="text"/> exactly, then a line break.</summary>
    public static void Line(IAnsiConsole console, string text, Style? style = null)
    {
        console.Write(Literal(text, style));
        console.WriteLine();
    }

    /// <summary>A table row of literal cells.</summary>
    public static Table Row(this Table table, params string[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)Literal(c)).ToArray());
}
