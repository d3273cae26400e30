using Tastebuds.Core;
using Tastebuds.Core.Similarity;

namespace Tastebuds.Tests.Similarity;

/// <summary>
/// The embedding search (docs/algorithms.md, "Embedding search") forced on small generated worlds: candidates from the
/// low-rank embeddings, every one rescored exactly.
/// </summary>
public sealed class EmbeddingSearchTests
{
    private static readonly SimilarityOptions Embedded = new()
    {
        EmbeddingMinUsers = 1,
        EmbeddingDimensions = 32,
        EmbeddingCandidates = 300,
        EmbeddingBinaryCandidates = 300,
        EmbeddingCells = 30,
        EmbeddingProbes = 10,
    };

    [Test]
    public void The_embedding_search_keeps_at_least_95_percent_of_the_exact_cosine_and_jaccard_top_50_on_a_generated_world()
    {
        var matrix = PopularWorld.Create(users: 3_000, seed: 7);
        var exact = NeighbourFinder.Compute(matrix, new SimilarityOptions(), CancellationToken.None);
        var embedded = NeighbourFinder.Compute(matrix, Embedded with { EmbeddingDimensions = 64, EmbeddingCandidates = 400, EmbeddingBinaryCandidates = 400 },
            CancellationToken.None);

        var recall = Enum.GetValues<SimilarityMetric>().ToDictionary(m => m, m => Recall(matrix.UserCount, exact, embedded, m));
        TestContext.Out.WriteLine($"pairs exact {exact.Stats.PairsEvaluated:N0}, embedded {embedded.Stats.PairsEvaluated:N0}; recall {string.Join(", ", recall.Select(r => $"{r.Key} {r.Value:P2}"))}");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(embedded.Stats.PairsEvaluated, Is.LessThan(exact.Stats.PairsEvaluated / 3), "at most 600 candidates a target rescored");
            // Measured 97.5 % and 98.7 % (d = 64, 400 + 400 candidates, 10 of 30 cells scanned); 95.6 / 96.7 % with d = 32, 300 + 300.
            Assert.That(recall[SimilarityMetric.Cosine], Is.GreaterThanOrEqualTo(0.95), "cosine recall of the exact top-50");
            Assert.That(recall[SimilarityMetric.Jaccard], Is.GreaterThanOrEqualTo(0.95), "Jaccard recall of the exact top-50");
        }
    }

    [Test]
    public void Neighbours_found_by_the_embedding_search_carry_the_exact_search_scores_bit_for_bit()
    {
        var matrix = PopularWorld.Create(users: 800, seed: 3);
        var exact = NeighbourFinder.Compute(matrix, new SimilarityOptions { MaxSimilarUsers = 800 }, CancellationToken.None);
        var embedded = NeighbourFinder.Compute(matrix, Embedded with { EmbeddingCandidates = 100, EmbeddingBinaryCandidates = 100 },
            CancellationToken.None);
        var compared = 0;
        using (Assert.EnterMultipleScope())
        {
            foreach (var metric in Enum.GetValues<SimilarityMetric>())
            {
                for (var u = 0; u < matrix.UserCount; u++)
                {
                    var truth = exact.Of(u, metric).ToDictionary(n => n.User);
                    foreach (var n in embedded.Of(u, metric))
                    {
                        Assert.That(n, Is.EqualTo(truth[n.User]), $"{metric} {u} → {n.User}");
                        compared++;
                    }
                }
            }
        }

        Assert.That(compared, Is.GreaterThan(10_000));
    }

    [Test]
    public void The_embedding_search_gives_the_same_lists_on_every_run_whatever_the_threads_and_targets()
    {
        var matrix = PopularWorld.Create(users: 1_500, seed: 11);
        var first = NeighbourFinder.Compute(matrix, Embedded, CancellationToken.None);
        var second = NeighbourFinder.Compute(matrix, Embedded with { MaxDegreeOfParallelism = 1 }, CancellationToken.None);
        int[] targets = [3, 500, 501, 999, 1_499];
        var some = NeighbourFinder.Compute(matrix, Embedded, targets, CancellationToken.None);
        using (Assert.EnterMultipleScope())
        {
            foreach (var metric in Enum.GetValues<SimilarityMetric>())
            {
                for (var u = 0; u < matrix.UserCount; u++)
                {
                    Assert.That(second.Of(u, metric), Is.EqualTo(first.Of(u, metric)), $"{metric} {u}, one thread");
                }

                foreach (var u in targets)
                {
                    Assert.That(some.Of(u, metric), Is.EqualTo(first.Of(u, metric)), $"{metric} {u}, searched alone");
                }
            }
        }
    }

    [Test]
    public void The_embedding_inner_products_are_the_combined_cosines_when_the_rank_is_full()
    {
        var matrix = PopularWorld.Create(users: 60, seed: 5);
        var embedding = UserEmbedding.Build(matrix, new SimilarityOptions(), dimensions: 60, binary: false, oversampling: 0, powerIterations: 2);
        var exact = NeighbourFinder.Compute(matrix, new SimilarityOptions { MaxSimilarUsers = 60, MinSharedItems = 0, SimilarityThreshold = -1, ShrinkageShared = 0 },
            CancellationToken.None);
        var compared = 0;
        using (Assert.EnterMultipleScope())
        {
            for (var u = 0; u < matrix.UserCount; u++)
            {
                foreach (var n in exact.Of(u, SimilarityMetric.Cosine))
                {
                    var product = Tastebuds.Core.Models.VectorMath.Dot(embedding.Of(u), embedding.Of(n.User));
                    Assert.That(product, Is.EqualTo(n.Score).Within(1e-4), $"{u} · {n.User}");
                    compared++;
                }
            }
        }

        Assert.That(compared, Is.GreaterThan(500));
    }

    private static double Recall(int users, NeighbourSet exact, NeighbourSet found, SimilarityMetric metric)
    {
        long kept = 0, total = 0;
        for (var u = 0; u < users; u++)
        {
            var set = found.Of(u, metric).Select(n => n.User).ToHashSet();
            total += exact.Of(u, metric).Count;
            kept += exact.Of(u, metric).Count(n => set.Contains(n.User));
        }

        return total == 0 ? 1.0 : (double)kept / total;
    }
}
