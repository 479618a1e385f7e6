using System.Numerics.Tensors;
using Microsoft.Extensions.AI;

namespace Embeddings.WordVectors;

/// <summary>Exposes sentence means of static word vectors as a Microsoft.Extensions.AI <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.</summary>
/// <remarks>Thread-safe; generation is synchronous CPU work (no I/O) completed before the task returns. The usage's
/// input token count is the number of known words used.</remarks>
public sealed class WordVectorEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly WordVectorSet _vectors;
    private readonly float[] _weights;
    private readonly bool _normalize;
    private readonly EmbeddingGeneratorMetadata _metadata;

    private WordVectorEmbeddingGenerator(WordVectorSet vectors, float[] weights, bool normalize)
    {
        _vectors = vectors;
        _weights = weights;
        _normalize = normalize;
        _metadata = new EmbeddingGeneratorMetadata("Embeddings (static word vectors)", null, Path.GetFileName(vectors.Source), vectors.Dimension);
    }

    /// <summary>Creates a generator over a loaded set.</summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="weights">Optional per-word weights (for example <see cref="WordVectorSet.CreateSifWeights"/>); copied.</param>
    /// <param name="normalize">Whether each sentence vector is scaled to unit length (zero vectors stay zero).</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vectors"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="weights"/> is neither empty nor one weight per word.</exception>
    public static WordVectorEmbeddingGenerator Create(WordVectorSet vectors, ReadOnlySpan<float> weights = default, bool normalize = false)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (!weights.IsEmpty && weights.Length != vectors.Count)
        {
            throw new ArgumentException($"Expected one weight per word ({vectors.Count}), got {weights.Length}.", nameof(weights));
        }

        return new WordVectorEmbeddingGenerator(vectors, weights.ToArray(), normalize);
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException"><see cref="EmbeddingGenerationOptions.Dimensions"/> asks for another length.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is int dimensions && dimensions != _vectors.Dimension)
        {
            throw new NotSupportedException($"These word vectors have {_vectors.Dimension} dimensions; {dimensions} were requested.");
        }

        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        long known = 0;
        DateTimeOffset created = DateTimeOffset.UtcNow;
        foreach (string text in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ArgumentNullException.ThrowIfNull(text, nameof(values));
            var vector = new float[_vectors.Dimension];
            SentenceVectorResult result = _vectors.ComputeSentenceVector(text, vector, _weights);
            if (_normalize)
            {
                TensorPrimitives.Divide(vector, MathF.Max(TensorPrimitives.Norm(vector), 1e-12f), vector);
            }

            known += result.KnownWords;
            embeddings.Add(new Embedding<float>(vector) { ModelId = _metadata.DefaultModelId, CreatedAt = created });
        }

        embeddings.Usage = new UsageDetails { InputTokenCount = known, TotalTokenCount = known };
        return Task.FromResult(embeddings);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        EmbeddingGeneratorServices.Find(serviceType, serviceKey, this, _metadata, _vectors);

    /// <summary>Does nothing: the generator holds no unmanaged resources.</summary>
    public void Dispose()
    {
    }
}
