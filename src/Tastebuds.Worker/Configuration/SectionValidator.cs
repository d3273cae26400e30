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
        var failures = new List<string>();
        Collect(options, sectionName, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Validates one object and, recursively, its nested settings objects (e.g. Database:Embedded).</summary>
    private static void Collect(object options, string path, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var rule = result.ErrorMessage ?? "is invalid";
            if (!result.MemberNames.Any())
            {
                failures.Add($"{path}: {rule}");
            }

            foreach (var member in result.MemberNames)
            {
                var property = options.GetType().GetProperty(member);
                var shown = property?.IsDefined(typeof(SecretAttribute), inherit: true) == true
                    ? "***"
                    : SettingValue.Show(property?.GetValue(options));
                failures.Add($"{path}:{member} = {shown}: {rule}");
            }
        }

        foreach (var property in options.GetType().GetProperties())
        {
            if (property.PropertyType.IsClass && property.PropertyType != typeof(string)
                && property.PropertyType.Namespace?.StartsWith("Tastebuds", StringComparison.Ordinal) == true
                && property.GetValue(options) is { } nested)
            {
                Collect(nested, $"{path}:{property.Name}", failures);
            }
        }
    }
}
