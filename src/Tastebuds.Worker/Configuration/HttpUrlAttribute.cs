using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Tastebuds.Worker.Configuration;

/// <summary>
/// An absolute http or https URL without a query (an empty value is left to <c>[Required]</c>). A query is refused
/// because it could carry a key, so a refused URL is shown with every query value masked.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed partial class HttpUrlAttribute() : ValidationAttribute("must be an absolute http or https URL without a query")
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not string url || string.IsNullOrEmpty(url)
            || (Uri.TryCreate(url, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                && string.IsNullOrEmpty(uri.Query)))
        {
            return ValidationResult.Success;
        }

        return new SettingError(validationContext.MemberName ?? "", QueryValue().Replace(url, "$1***"), ErrorMessageString);
    }

    [GeneratedRegex(@"([?&][^=&#]*=)[^&#]*", RegexOptions.CultureInvariant)]
    private static partial Regex QueryValue();
}
