using System.CommandLine;
using System.Text.RegularExpressions;
using NanoDet.Host.Cli;

namespace NanoDet.Host.Tests.Docs;

/// <summary>
/// Every <c>--option</c> the README and docs show on a <c>nanodet</c> command line (code blocks and inline code)
/// exists on that verb in the real command tree (its own options, its parents' and the global ones), and every
/// option listed in a docs option table exists on some verb.
/// </summary>
public partial class DocumentedCliOptionTests
{
    private static readonly RootCommand Cli = NanoDetCli.Build();

    [Fact]
    public void Every_option_shown_on_a_nanodet_command_line_exists()
    {
        var problems = new List<string>();
        int invocations = 0;
        foreach (var page in DocumentationFiles.Markdown())
        {
            var lines = File.ReadAllLines(page);
            var candidates = MarkdownText.LinesInCode(lines).Select(l => (Text: ShellComment().Replace(l.Line, ""), l.Number))
                .Concat(MarkdownText.LinesOutsideCode(lines)
                    .SelectMany(l => CodeSpan().Matches(l.Line).Select(m => (Text: m.Groups[1].Value, l.Number))));
            foreach (var (text, number) in candidates)
                foreach (Match m in Invocation().Matches(text))
                {
                    invocations++;
                    var problem = CheckInvocation(m.Groups["args"].Value);
                    if (problem is not null) problems.Add($"{DocumentationFiles.Relative(page)}:{number}: {problem} in '{m.Value.Trim()}'");
                }
        }
        Assert.True(invocations > 30, $"only {invocations} nanodet command lines found: the scan itself is broken");
        Assert.True(problems.Count == 0, "documented options the CLI does not have:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Every_option_in_a_docs_option_table_exists()
    {
        var all = AllCommands(Cli).SelectMany(c => Names(c.Options)).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        int rows = 0;
        foreach (var page in DocumentationFiles.Markdown())
            foreach (var (line, number) in MarkdownText.LinesOutsideCode(File.ReadAllLines(page)))
            {
                var m = OptionTableRow().Match(line);
                if (!m.Success) continue;
                rows++;
                if (!all.Contains(m.Groups[1].Value)) problems.Add($"{DocumentationFiles.Relative(page)}:{number}: {m.Groups[1].Value}");
            }
        Assert.True(rows > 10, $"only {rows} option-table rows found: the scan itself is broken");
        Assert.True(problems.Count == 0, "option-table rows naming no CLI option:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void A_misspelt_option_is_caught() =>
        Assert.NotNull(CheckInvocation("eval --checkpont model.safetensors"));

    /// <summary>Null when every option in <paramref name="args"/> (the text after <c>nanodet</c>) exists on its verb.</summary>
    private static string? CheckInvocation(string args)
    {
        var tokens = args.Split([' ', '\t', '[', ']', '|', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
        Command command = Cli;
        var path = new List<Command> { Cli };
        foreach (var token in tokens)
        {
            if (token.StartsWith('-')) break;
            var sub = command.Subcommands.FirstOrDefault(s => s.Name == token);
            if (sub is null) break;
            path.Add(command = sub);
        }
        if (path.Count == 1) return tokens.Length == 0 ? null : $"unknown verb '{tokens[0]}'";
        // The verb's own options and its parents'; a group verb shown alone ("data") may use any of its subverbs'.
        var allowed = path.SelectMany(c => Names(c.Options))
            .Concat(AllCommands(command).SelectMany(c => Names(c.Options)))
            .ToHashSet(StringComparer.Ordinal);
        var unknown = OptionToken().Matches(args).Select(m => m.Value).Where(o => !allowed.Contains(o)).ToList();
        return unknown.Count == 0 ? null : $"'{string.Join(' ', path.Skip(1).Select(c => c.Name))}' has no {string.Join(", ", unknown)}";
    }

    private static IEnumerable<Command> AllCommands(Command c) => c.Subcommands.SelectMany(AllCommands).Prepend(c);

    private static IEnumerable<string> Names(IEnumerable<Option> options) => options.SelectMany(o => o.Aliases.Prepend(o.Name));

    // "nanodet <verb> ..." or "dotnet run ... --project src/Host -- <verb> ...", up to the end of the line or span.
    [GeneratedRegex(@"(?:(?<![\w./-])nanodet|--project src/Host --)\s+(?<args>[a-z]+(?:\s.*)?)$")]
    private static partial Regex Invocation();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9-]*")]
    private static partial Regex OptionToken();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\s#\s.*$")]
    private static partial Regex ShellComment();

    [GeneratedRegex(@"^\|\s*`(--[a-z][a-z0-9-]*)[^`]*`")]
    private static partial Regex OptionTableRow();
}
