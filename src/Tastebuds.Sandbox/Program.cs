using System.CommandLine;
using Tastebuds.Sandbox;
using Tastebuds.Sandbox.Faults;

var users = new Option<int>("--users") { Description = "Number of generated users", DefaultValueFactory = _ => 500 };
var port = new Option<int>("--port") { Description = "Loopback port (0 = any free port)", DefaultValueFactory = _ => 8090 };
var hetrec = new Option<string?>("--hetrec") { Description = "Serve the HetRec 2011 Last.fm 2K folder at this path instead of a generated world" };
var faultRate = new Option<double>("--fault-rate") { Description = "Share of requests that get a fault (split across all kinds)", DefaultValueFactory = _ => 0.0 };
var seed = new Option<long>("--seed") { Description = "Seed of the world and the fault schedule", DefaultValueFactory = _ => 42 };
var budget = new Option<int>("--budget") { Description = "Requests per API key per window (0 = unlimited)", DefaultValueFactory = _ => 0 };
var window = new Option<double>("--window") { Description = "Budget window in seconds", DefaultValueFactory = _ => 1.0 };
var clientTimeout = new Option<double>("--client-timeout") { Description = "Client timeout in seconds; slow faults wait twice as long", DefaultValueFactory = _ => 10.0 };
var advanceWeeks = new Option<int>("--advance-weeks") { Description = "Serve the world this many weeks later: some users listen more, some do not change, some are new (POST /admin/advance?weeks=N advances a running sandbox)", DefaultValueFactory = _ => 0 };
var changedFraction = new Option<double>("--changed-fraction") { Description = "Share of the users whose listening changes each week advanced", DefaultValueFactory = _ => 0.2 };
var hostile = new Option<string[]>("--fault")
{
    Description = $"Hostile fault {HostileFaultParser.Syntax}, repeatable; KIND: {string.Join(", ", HostileFaultParser.KindNames)} (e.g. impostor@mallory=victim)",
};

var root = new RootCommand("Offline Last.fm API 2.0 sandbox on 127.0.0.1") { users, port, hetrec, faultRate, seed, budget, window, clientTimeout, advanceWeeks, changedFraction, hostile };
root.SetAction(async (parse, ct) =>
{
    var hostileFaults = new List<HostileFault>();
    foreach (var value in parse.GetValue(hostile) ?? [])
    {
        if (!HostileFaultParser.TryParse(value, out var fault, out var error))
        {
            await Console.Error.WriteLineAsync(error);
            return 2;
        }

        hostileFaults.Add(fault);
    }

    var options = new SandboxOptions
    {
        Users = parse.GetValue(users),
        Port = parse.GetValue(port),
        HetRecPath = parse.GetValue(hetrec),
        FaultRate = parse.GetValue(faultRate),
        Seed = parse.GetValue(seed),
        MaxRequestsPerWindow = parse.GetValue(budget),
        BudgetWindow = TimeSpan.FromSeconds(parse.GetValue(window)),
        ClientTimeout = TimeSpan.FromSeconds(parse.GetValue(clientTimeout)),
        HostileFaults = hostileFaults,
        AdvanceWeeks = parse.GetValue(advanceWeeks),
        ChangedFraction = parse.GetValue(changedFraction),
    };
    var problems = options.Validate();
    if (problems.Count > 0)
    {
        await Console.Error.WriteLineAsync(string.Join(Environment.NewLine, problems));
        return 2;
    }

    await using var sandbox = await SandboxServer.StartAsync(options, ct);
    var world = sandbox.World;
    Console.WriteLine($"Last.fm sandbox ({world.Source}, {world.Users.Count} users, seed {world.Seed}, week {world.Week}) at {sandbox.BaseUrl}");
    if (world.Week > 0)
    {
        Console.WriteLine($"Advanced: {world.ChangedUsernames.Count} users changed, {world.AddedUsernames.Count} added over {world.Week} week(s)");
    }

    Console.WriteLine($"Users:    {string.Join(", ", world.Users.Where(u => !u.IsPrivate).Take(10).Select(u => u.Name))}");
    Console.WriteLine($"Private:  {string.Join(", ", world.PrivateUsernames.Take(5))}");
    Console.WriteLine($"Missing:  {string.Join(", ", world.MissingUsernames.Take(5))}");
    foreach (var fault in options.HostileFaults)
    {
        Console.WriteLine($"Hostile:  {HostileFaultParser.Name(fault.Kind)} for {fault.User ?? "every user"}{(fault.Argument is null ? "" : $" ({fault.Argument})")}");
    }

    Console.WriteLine($"Try:      curl '{sandbox.BaseUrl}?method=user.getTopTracks&user={Uri.EscapeDataString(world.Users[0].Name)}&api_key=any&format=json&limit=2'");
    Console.WriteLine("Ctrl+C to stop.");
    try
    {
        await Task.Delay(Timeout.Infinite, ct);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine($"Stopped after {sandbox.RequestLog.Count} requests.");
    }

    return 0;
});

return await root.Parse(args).InvokeAsync();
