using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Tastebuds.Worker.Cli;

/// <summary>
/// Rules for the verbs' option values, as System.CommandLine validators: a bad value fails the parse, so the verb's
/// action never runs (no Last.fm request, no database connection) and <see cref="TastebudsCommandLine"/> prints the
/// error with the help and exits 2.
/// </summary>
internal static class OptionRules
{
    /// <summary>Most rows a verb lists (<c>--limit</c>).</summary>
    public const int MaxLimit = 1000;

    public static Option<int> InRange(this Option<int> option, int min, int max)
    {
        option.Validators.Add(r =>
        {
            if (TryGetValue(r, out int value) && (value < min || value > max))
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be between {min} and {max}, not {value}."));
            }
        });
        return option;
    }

    /// <summary>Strictly between <paramref name="min"/> and <paramref name="max"/>; NaN is not.</summary>
    public static Option<double> Between(this Option<double> option, double min, double max)
    {
        option.Validators.Add(r =>
        {
            if (TryGetValue(r, out double value) && !(value > min && value < max))
            {
                r.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be between {min} and {max} (exclusive), not {value}."));
            }
        });
        return option;
    }

    public static Option<string> NotBlank(this Option<string> option)
    {
        option.Validators.Add(r =>
        {
            if (TryGetValue(r, out string? value) && string.IsNullOrWhiteSpace(value))
            {
                r.AddError($"{option.Name} must not be empty or white space.");
            }
        });
        return option;
    }

    public static Option<string[]> NotBlank(this Option<string[]> option)
    {
        option.Validators.Add(r =>
        {
            if (TryGetValue(r, out string[]? values) && values?.Any(string.IsNullOrWhiteSpace) == true)
            {
                r.AddError($"{option.Name} must not be empty or white space.");
            }
        });
        return option;
    }

    /// <summary>
    /// The option's value, or false when its token does not convert (<c>--limit abc</c>): the parser reports that
    /// itself, and asking for the value would throw out of the parse.
    /// </summary>
    private static bool TryGetValue<T>(OptionResult result, out T? value)
    {
        try
        {
            value = result.GetValueOrDefault<T>();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = default;
            return false;
        }
    }
}
