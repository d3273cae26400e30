using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Tastebuds.Worker.Configuration;

/// <summary>
/// Validates an options section and reports each failure as one line that names the setting, the bad value and the
/// rule: <c>Algorithm:SimilarityThreshold = -3: must be between 0 and 1</c>. First the values the binder could not
/// convert (<c>Lastfm:MaxRetries = 'abc': must be a whole number between 0 and 20</c>, shown as written), then the
/// DataAnnotations of the rest (rules on one value), then the options class's <see cref="IValidatableObject"/> rules
/// (rules between values, or on list elements), always both. Those may ask the <see cref="ValidationContext"/> for
/// services such as <see cref="TimeProvider"/>, and return a <see cref="SettingError"/> to show another value than the property's.
/// </summary>
internal sealed class SectionValidator<TOptions>(string sectionName, IConfiguration section, IServiceProvider? services = null)
    : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var failures = new List<string>();
        var unconverted = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var failure in SectionBinding.Failures(typeof(TOptions), section))
        {
            var path = $"{sectionName}:{failure.Key}";
            unconverted.Add(path);
            failures.Add($"{path} = {(failure.Secret ? "***" : SettingValue.Show(failure.Raw))}: {failure.Rule}");
        }

        Collect(options, sectionName, unconverted, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Validates one object and, recursively, its nested settings objects (e.g. Database:Embedded).</summary>
    private void Collect(object options, string path, HashSet<string> unconverted, List<string> failures)
    {
        var results = new List<ValidationResult>();
        // Property by property rather than Validator.TryValidateObject, which skips IValidatableObject once an attribute
        // failed: one start-up should show every bad setting.
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            Validator.TryValidateProperty(property.GetValue(options), new ValidationContext(options, services, null) { MemberName = property.Name }, results);
        }

        if (options is IValidatableObject crossField)
        {
            results.AddRange(crossField.Validate(new ValidationContext(options, services, null)));
        }

        foreach (var result in results)
        {
            var rule = result.ErrorMessage ?? "is invalid";
            if (!result.MemberNames.Any())
            {
                failures.Add($"{path}: {rule}");
            }

            // A value that did not convert kept its default; the conversion line already says what is wrong with it.
            foreach (var member in result.MemberNames.Where(m => !unconverted.Contains($"{path}:{m}")))
            {
                var property = options.GetType().GetProperty(member);
                var shown = property?.IsDefined(typeof(SecretAttribute), inherit: true) == true ? "***"
                    : result is SettingError error ? SettingValue.Show(error.Value)
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
                Collect(nested, $"{path}:{property.Name}", unconverted, failures);
            }
        }
    }
}
