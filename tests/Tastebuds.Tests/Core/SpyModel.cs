using System.Collections.Concurrent;
using Tastebuds.Core.Models;

namespace Tastebuds.Tests.Core;

/// <summary>
/// Records every input it is fitted on and scores items by popularity in that input (so a blend has something
/// to rank). With <see cref="Oracle"/> set it scores those (user, item) pairs instead, whatever its input says.
/// </summary>
internal sealed class SpyModel(string name) : IRecommenderModel
{
    public string Name => name;

    public ConcurrentBag<ModelInput> Inputs { get; } = [];

    public Func<int, IReadOnlyList<int>>? Oracle { get; init; }

    public ITrainedModel Fit(ModelInput input, CancellationToken cancellationToken)
    {
        Inputs.Add(input);
        return new Trained(this, input);
    }

    private sealed class Trained(SpyModel spy, ModelInput input) : ITrainedModel
    {
        public string Name => spy.Name;

        public ModelInput Input => input;

        public void Score(int user, Span<double> scores)
        {
            if (spy.Oracle is { } oracle)
            {
                foreach (var item in oracle(user))
                {
                    scores[item] = 1;
                }

                return;
            }

            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] = input.Matrix.HoldersOf(input.Kind, i).Length;
            }
        }

        public ModelExplanation Explain(int user, int item) => ModelExplanation.Empty(Name);
    }
}
