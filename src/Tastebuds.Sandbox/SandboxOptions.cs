using System.Globalization;
using Tastebuds.Sandbox.Faults;
using Tastebuds.Sandbox.World;

namespace Tastebuds.Sandbox;

/// <summary>How a <see cref="SandboxServer"/> builds its world and behaves. Every property has a usable default.</summary>
public sealed class SandboxOptions
{
    /// <summary>Number of generated users (ignored when <see cref="HetRecPath"/> or <see cref="World"/> is set). Default 500.</summary>
    public int Users { get; init; } = 500;

    /// <summary>Seed of the world and of the fault schedule. Default 42.</summary>
    public long Seed { get; init; } = 42;

    /// <summary>Loopback port; 0 picks a free one (see <see cref="SandboxServer.BaseUrl"/>). Default 0.</summary>
    public int Port { get; init; }

    /// <summary>Load the HetRec 2011 Last.fm 2K folder instead of generating a world. Default null.</summary>
    public string? HetRecPath { get; init; }

    /// <summary>A world built beforehand (shared between servers in tests); wins over the other world settings.</summary>
    public SandboxWorld? World { get; init; }

    /// <summary>Weeks the world is advanced before it is served (<see cref="SandboxWorld.AdvanceWeeks"/>). Default 0.</summary>
    public int AdvanceWeeks { get; init; }

    /// <summary>Share of the users whose listening changes each week advanced (0..1). Default 0.2.</summary>
    public double ChangedFraction { get; init; } = 0.2;

    /// <summary>New users each week advanced, as a share of the users (0..1). Default 0.01.</summary>
    public double NewUserFraction { get; init; } = 0.01;

    /// <summary>Share of generated users that are private (error 17). Default 0.03.</summary>
    public double PrivateUserFraction { get; init; } = 0.03;

    /// <summary>How many non-existent usernames the world lists in <see cref="SandboxWorld.MissingUsernames"/>. Default 5.</summary>
    public int MissingUsernames { get; init; } = 5;

    /// <summary>When not empty, only these API keys are valid (others get error 10). Default empty: any non-empty key.</summary>
    public IReadOnlyCollection<string> ValidApiKeys { get; init; } = [];

    /// <summary>Keys answered with error 10 (invalid API key, HTTP 403). Default empty.</summary>
    public IReadOnlyCollection<string> InvalidApiKeys { get; init; } = [];

    /// <summary>Keys answered with error 26 (suspended API key, HTTP 403). Default empty.</summary>
    public IReadOnlyCollection<string> SuspendedApiKeys { get; init; } = [];

    /// <summary>Requests allowed per API key per <see cref="BudgetWindow"/>; past it error 29 with Retry-After. 0 = unlimited (default).</summary>
    public int MaxRequestsPerWindow { get; init; }

    /// <summary>Length of the fixed budget window. Default 1 s.</summary>
    public TimeSpan BudgetWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Total share of requests that get a fault, split evenly across every <see cref="SandboxFaultKind"/>. Default 0.</summary>
    public double FaultRate { get; init; }

    /// <summary>Per-kind fault rates; when set it replaces the even split of <see cref="FaultRate"/>. The sum must be ≤ 1.</summary>
    public IReadOnlyDictionary<SandboxFaultKind, double>? FaultRates { get; init; }

    /// <summary>After this many faults in a row for the same request, the next attempt succeeds. Default 2.</summary>
    public int MaxConsecutiveFaults { get; init; } = 2;

    /// <summary>
    /// Hostile faults: deterministic, never-healing misbehaviour for the users they name, checked after the key, budget,
    /// method and parameters (a transient fault may still come first). Default empty.
    /// </summary>
    public IReadOnlyList<HostileFault> HostileFaults { get; init; } = [];

    /// <summary>The client's timeout; a <see cref="SandboxFaultKind.Slow"/> fault waits twice this long before answering. Default 10 s.</summary>
    public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock for the request log, the budget window and slow faults. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Every invalid setting with its value; empty when the options are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                errors.Add(message);
            }
        }

        var c = CultureInfo.InvariantCulture;
        Check(Users >= 1, string.Create(c, $"Users must be at least 1 (was {Users})."));
        Check(Port is >= 0 and <= 65535, string.Create(c, $"Port must be 0..65535 (was {Port})."));
        Check(PrivateUserFraction is >= 0 and <= 1, string.Create(c, $"PrivateUserFraction must be 0..1 (was {PrivateUserFraction})."));
        Check(AdvanceWeeks is >= 0 and <= 520, string.Create(c, $"AdvanceWeeks must be 0..520 (was {AdvanceWeeks})."));
        Check(ChangedFraction is >= 0 and <= 1, string.Create(c, $"ChangedFraction must be 0..1 (was {ChangedFraction})."));
        Check(NewUserFraction is >= 0 and <= 1, string.Create(c, $"NewUserFraction must be 0..1 (was {NewUserFraction})."));
        Check(MissingUsernames >= 0, string.Create(c, $"MissingUsernames must be ≥ 0 (was {MissingUsernames})."));
        Check(MaxRequestsPerWindow >= 0, string.Create(c, $"MaxRequestsPerWindow must be ≥ 0 (was {MaxRequestsPerWindow})."));
        Check(BudgetWindow > TimeSpan.Zero, string.Create(c, $"BudgetWindow must be positive (was {BudgetWindow})."));
        Check(FaultRate is >= 0 and <= 1, string.Create(c, $"FaultRate must be 0..1 (was {FaultRate})."));
        Check(FaultRates is null || FaultRates.Values.All(r => r >= 0), "FaultRates must not hold negative rates.");
        Check(FaultRates is null || FaultRates.Values.Sum() <= 1, string.Create(c, $"FaultRates must sum to at most 1 (was {FaultRates?.Values.Sum()})."));
        Check(MaxConsecutiveFaults >= 1, string.Create(c, $"MaxConsecutiveFaults must be at least 1 (was {MaxConsecutiveFaults})."));
        Check(ClientTimeout > TimeSpan.Zero, string.Create(c, $"ClientTimeout must be positive (was {ClientTimeout})."));
        for (var i = 0; i < HostileFaults.Count; i++)
        {
            var fault = HostileFaults[i];
            var problem = fault is null ? "is null" : HostileFaultParser.Problem(fault);
            Check(problem is null, string.Create(c, $"HostileFaults[{i}]: {problem} (was {fault})."));
        }

        Check(HetRecPath is null || Directory.Exists(HetRecPath), $"HetRecPath does not exist (was {HetRecPath}).");
        return errors;
    }
}
