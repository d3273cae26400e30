using Tastebuds.Tests.Support;
using Tastebuds.Worker.Database;

namespace Tastebuds.Tests.Database;

/// <summary>The one advisory-lock helper behind the migration lock and the fetch lock.</summary>
public sealed class AdvisoryLockTests
{
    private const long Key = 4242;

    [Test]
    public async Task A_lock_held_by_another_session_is_not_taken_and_is_free_once_disposed()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync(migrate: false);

        var held = await AdvisoryLock.TryAcquireAsync(db.DataSource, Key, CancellationToken.None);
        var whileHeld = await AdvisoryLock.TryAcquireAsync(db.DataSource, Key, CancellationToken.None);
        await held!.DisposeAsync();
        await using var afterwards = await AdvisoryLock.TryAcquireAsync(db.DataSource, Key, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(whileHeld, Is.Null);
            Assert.That(afterwards, Is.Not.Null);
        }
    }

    [Test]
    public async Task Waiting_with_a_timeout_gives_up_after_it_and_says_once_that_it_waits()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync(migrate: false);
        await using var held = await AdvisoryLock.TryAcquireAsync(db.DataSource, Key, CancellationToken.None);
        var waited = 0;

        var late = await AdvisoryLock.WaitAsync(
            db.DataSource, Key, TimeSpan.FromMilliseconds(600), TimeProvider.System, () => waited++, CancellationToken.None);

        Assert.That((late, waited), Is.EqualTo(((AdvisoryLock?)null, 1)));
    }

    [Test]
    public async Task Waiting_forever_takes_the_lock_when_the_holder_lets_go()
    {
        await using var db = await TestPostgres.CreateDatabaseAsync(migrate: false);
        var held = await AdvisoryLock.TryAcquireAsync(db.DataSource, Key, CancellationToken.None);

        var waiting = AdvisoryLock.WaitForeverAsync(db.DataSource, Key, () => { }, CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var waitedWhileHeld = !waiting.IsCompleted;
        await held!.DisposeAsync();
        await using var taken = await waiting;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(waitedWhileHeld, Is.True);
            Assert.That(taken.Key, Is.EqualTo(Key));
        }
    }
}
