using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Tastebuds.Sandbox.Faults;

/// <summary>Reads the command line's <c>--fault KIND[@USER][=ARG]</c>, e.g. <c>impostor@mallory=victim</c> or <c>dirty-text</c>.</summary>
public static class HostileFaultParser
{
    /// <summary>The syntax, for help and error messages.</summary>
    public const string Syntax = "KIND[@USER][=ARG]";

    private static readonly Dictionary<string, HostileFaultKind> ByName =
        Enum.GetValues<HostileFaultKind>().ToDictionary(Name, k => k, StringComparer.OrdinalIgnoreCase);

    /// <summary>The kebab-case names, in declaration order: impostor, repeating-pages, absurd-numbers, ...</summary>
    public static IReadOnlyList<string> KindNames { get; } = [.. Enum.GetValues<HostileFaultKind>().Select(Name)];

    /// <summary>The kebab-case name of <paramref name="kind"/> (RepeatingPages → repeating-pages).</summary>
    public static string Name(HostileFaultKind kind)
    {
        var name = new StringBuilder();
        foreach (var c in kind.ToString())
        {
            if (char.IsUpper(c) && name.Length > 0)
            {
                name.Append('-');
            }

            name.Append(char.ToLowerInvariant(c));
        }

        return name.ToString();
    }

    /// <summary>Parses one value; on failure <paramref name="error"/> names the bad value and the valid kinds.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out HostileFault? fault, [NotNullWhen(false)] out string? error)
    {
        fault = null;
        var value = text ?? "";
        string Bad(string why) => $"Invalid --fault '{value}': {why}. Expected {Syntax} with KIND one of: {string.Join(", ", KindNames)} (e.g. impostor@mallory=victim, repeating-pages@bob, dirty-text).";

        // Usernames hold neither '@' nor '=', so the first '=' ends the head and the first '@' ends the kind.
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        var head = equals < 0 ? value : value[..equals];
        var argument = equals < 0 ? null : value[(equals + 1)..];
        var at = head.IndexOf('@', StringComparison.Ordinal);
        var kindName = at < 0 ? head : head[..at];
        var user = at < 0 ? null : head[(at + 1)..];

        if (!ByName.TryGetValue(kindName, out var kind))
        {
            error = Bad($"unknown kind '{kindName}'");
            return false;
        }

        if (user is { Length: 0 })
        {
            error = Bad("empty user after '@' (leave out '@USER' for every user)");
            return false;
        }

        fault = new HostileFault(kind, user, argument);
        var problem = Problem(fault);
        if (problem is not null)
        {
            fault = null;
            error = Bad(problem);
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>What is wrong with <paramref name="fault"/>'s user or argument, or null (shared with <see cref="SandboxOptions.Validate"/>).</summary>
    internal static string? Problem(HostileFault fault) => fault switch
    {
        { User: { } user } when string.IsNullOrWhiteSpace(user) => "the user is blank (use null for every user)",
        { Kind: HostileFaultKind.Impostor } when string.IsNullOrWhiteSpace(fault.Argument)
            => "impostor needs the victim's username as its argument (impostor@USER=VICTIM)",
        { Kind: not HostileFaultKind.Impostor, Argument: not null } => $"{Name(fault.Kind)} takes no argument",
        _ => null,
    };
}
