using Spectre.Console;
using Spectre.Console.Rendering;

namespace NanoDet.Host.Runtime;

/// <summary>
/// Progress column that shows a task's description literally (Spectre's <see cref="TaskDescriptionColumn"/>
/// parses it as markup, emoji codes included). Task names may carry file names and keys.
/// </summary>
internal sealed class LiteralDescriptionColumn : ProgressColumn
{
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(task.Description, Style.Plain).Overflow(Overflow.Ellipsis);
}
