using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Tastebuds.Tests.Lastfm.Fuzz;
using Tastebuds.Tests.Support;
using Tastebuds.Worker.Fetching;
using Tastebuds.Worker.Lastfm;

namespace Tastebuds.Tests.Lastfm;

/// <summary>
/// Thousands of seeded mutations of the recorded Last.fm bodies (Fixtures/lastfm-api-samples) go through the inspector,
/// the parser and the merge, as a fetch would: the parser either reads a body or throws a <see cref="JsonException"/>
/// (which the client turns into a LastfmApiException for that user), nothing hangs, and what would reach the store is
/// bounded. Rerun one case with TASTEBUDS_FUZZ_SEED and TASTEBUDS_FUZZ_CASE; fuzz longer with TASTEBUDS_FUZZ_CASES.
/// </summary>
public sealed partial class ParserFuzzTests
{
    private const int DefaultSeed = 20_251_130;
    private const int DefaultCases = 6_000; // At least 5,000 (the issue); 400 for each of the 15 recorded bodies.
    private static readonly TimeSpan StepLimit = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    [Test]
    [CancelAfter(120_000)]
    public void Mutated_recordings_parse_or_throw_JsonException_and_merge_into_bounded_values(CancellationToken cancellationToken)
    {
        var seed = Setting("TASTEBUDS_FUZZ_SEED") ?? DefaultSeed;
        var cases = Setting("TASTEBUDS_FUZZ_CASES") ?? DefaultCases;
        var only = Setting("TASTEBUDS_FUZZ_CASE");
        var bodies = FuzzFixtures.Load();
        var snapshots = new FuzzSnapshots(bodies);
        var foreignItems = JsonMutator.ListItems(bodies);
        var tally = new FuzzTally(seed, Path.Combine(TestContext.CurrentContext.WorkDirectory, "fuzz-failures"));
        FuzzCase? current = null;

        var clock = Stopwatch.StartNew();
        // On its own thread, so that a hang fails the test (naming the case) instead of stalling it.
        var run = Task.Run(() =>
        {
            for (var i = only ?? 0; i < (only + 1 ?? cases) && !tally.Full; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var fuzz = JsonMutator.Create(seed, i, bodies[i % bodies.Count], foreignItems);
                Volatile.Write(ref current, fuzz);
                tally.Started(fuzz);
                Run(fuzz, snapshots, tally);
            }
        }, cancellationToken);
        var finished = run.Wait(RunLimit, cancellationToken);
        clock.Stop();

        // A run still going (a hang) may be writing to the tally: no summary then, the assertion below names the case.
        TestContext.Out.WriteLine(finished ? tally.Summary(clock.Elapsed) : $"not finished after {clock.Elapsed}");
        if (only is not null)
        {
            TestContext.Out.WriteLine(Volatile.Read(ref current)?.Describe());
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(finished, Is.True, () => $"not finished after {RunLimit}: a hang? In progress: seed {seed}, {Volatile.Read(ref current)?.Describe()}");
            Assert.That(tally.Cases, Is.EqualTo(only is null ? cases : 1), "mutated bodies run (25 failures stop the run)");
            Assert.That(tally.Failures, Is.Empty, () => $"seed {seed}:\n" + string.Join("\n", tally.Failures));
        }
    }

    [Test]
    public void The_fixtures_are_the_recorded_bytes()
    {
        var sums = File.ReadAllLines(Path.Combine(Fixtures.ApiSamples, "SHA256SUMS"))
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1], parts => parts[0]);
        var files = Directory.GetFiles(Fixtures.ApiSamples, "*.json").Select(Path.GetFileName).ToList();
        var successBodies = sums.Keys.Where(file => !file.StartsWith("error.", StringComparison.Ordinal)
            && !file.StartsWith("legacy.error.", StringComparison.Ordinal));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(files, Is.EquivalentTo(sums.Keys), "SHA256SUMS lists every fixture");
            Assert.That(FuzzFixtures.Load().Select(b => b.File), Is.EquivalentTo(successBodies), "the fuzz test mutates every success body");
            foreach (var (file, sum) in sums)
            {
                var actual = Convert.ToHexStringLower(SHA256.HashData(Fixtures.ApiSample(file)));
                Assert.That(actual, Is.EqualTo(sum), file);
            }
        }
    }

    /// <summary>Inspect, parse, check the user, merge, check the bounds: one body, as the client and the fetch would.</summary>
    private static void Run(FuzzCase fuzz, FuzzSnapshots snapshots, FuzzTally tally)
    {
        LastfmBodyInspection inspection;
        var clock = Stopwatch.StartNew();
#pragma warning disable CA1031 // Any exception is the finding: recorded with its case, the run goes on.
        try
        {
            inspection = LastfmBodyInspector.Inspect(fuzz.Bytes);
        }
        catch (Exception ex)
        {
            tally.Fail(fuzz, $"the inspector threw {ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}");
            return;
        }

        tally.Timed(fuzz, "inspect", clock.Elapsed, StepLimit);
        tally.Count(!inspection.WellFormed ? "inspect: malformed" : inspection.ErrorCode is null ? "inspect: well-formed" : "inspect: an error body");

        object parsed;
        clock.Restart();
        try
        {
            parsed = LastfmParser.Parse(fuzz.Bytes, fuzz.Body.Map);
        }
        catch (JsonException ex)
        {
            tally.Timed(fuzz, "parse", clock.Elapsed, StepLimit);
            tally.Count(ex.GetType() == typeof(JsonException) ? "parse: JsonException, unexpected shape" : "parse: JsonException, not JSON");
            return;
        }
        catch (Exception ex)
        {
            tally.Fail(fuzz, $"the parser threw {ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}");
            return;
        }

        tally.Timed(fuzz, "parse", clock.Elapsed, StepLimit);
        tally.Count(inspection.WellFormed ? "parse: read" : "parse: read, though the inspector called it malformed");
        foreach (var problem in StoreBounds.ParsedViolations(parsed))
        {
            tally.Fail(fuzz, "parsed: " + problem);
        }

        if (!FuzzSnapshots.IsForAskedUser(fuzz.Body, parsed))
        {
            tally.Count("client: refused, the answer names another user");
            return;
        }

        if (snapshots.With(fuzz.Body.Slot, parsed) is not { } snapshot)
        {
            tally.Count("merge: none (getRecentTracks is in no snapshot)");
            return;
        }

        MergedSnapshot merged;
        clock.Restart();
        try
        {
            merged = MergedSnapshot.From(snapshot);
        }
        catch (Exception ex)
        {
            tally.Fail(fuzz, $"the merge threw {ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}");
            return;
        }
#pragma warning restore CA1031

        tally.Timed(fuzz, "merge", clock.Elapsed, StepLimit);
        tally.Count("merge: done");
        tally.Count("merge: warnings (items dropped or clamped)", merged.Warnings.Count);
        foreach (var problem in StoreBounds.Violations(merged))
        {
            tally.Fail(fuzz, "merged: " + problem);
        }
    }

    private static int? Setting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
