using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Tastebuds.Worker.Configuration;

/// <summary>
/// Validates an options section with its DataAnnotations and reports each failure as one line that names
/// the setting, the bad value and the rule: <c>Algorithm:SimilarityThreshold = -3: must be between 0 and 1</c>.
/// Cross-field rules go in <see cref="IValidatableObject"/> on the options class and use the same format.
/// </summary>
internal sealed class SectionValidator<TOptions>(string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (results.Count == 0)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        foreach (var result in results)
        {
            var members = result.MemberNames.Any() ? result.MemberNames : [string.Empty];
            foreach (var member in members)
            {
                failures.Add(Describe(options, member, result.ErrorMessage ?? "is invalid"));
            }
        }

        return ValidateOptionsResult.Fail(failures);
    }

    private string Describe(TOptions options, string member, string rule)
    {
        if (member.Length == 0)
        {
            return $"{sectionName}: {rule}";
        }

        var property = typeof(TOptions).GetProperty(member);
        var value = property?.GetValue(options);
        return $"{sectionName}:{member} = {Show(value)}: {rule}";
    }

    internal static string Show(object? value) => value switch
    {
        null => "(empty)",
        string s => $"'{s}'",
        System.Collections.IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Show)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "(empty)",
    };
}
