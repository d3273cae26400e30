using System.ComponentModel.DataAnnotations;

namespace Tastebuds.Worker.Configuration;

/// <summary>A time zone id this machine knows (IANA, or Windows ids where the OS maps them).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class TimeZoneIdAttribute() : ValidationAttribute("must be a time zone id such as UTC or Europe/London")
{
    public override bool IsValid(object? value) => value is string id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out _);
}
