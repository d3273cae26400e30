using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Tastebuds.Worker.Configuration;

/// <summary>A literal IP address (IPv4 or IPv6), not a host name: the listener binds to it without a lookup.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class IpAddressAttribute() : ValidationAttribute("must be an IP address such as 0.0.0.0, :: or 127.0.0.1")
{
    public override bool IsValid(object? value) => value is string address && IPAddress.TryParse(address, out _);
}
