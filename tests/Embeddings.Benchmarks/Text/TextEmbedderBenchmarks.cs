using BenchmarkDotNet.Attributes;
using Embeddings.Text;

namespace Embeddings.Benchmarks.Text;

/// <summary>End-to-end text embedding with the MiniLM-L6-shaped bench model: tokenize, batch, run, pool, normalize.</summary>
public class TextEmbedderBenchmarks
{
    private TextEmbedder _embedder = null!;
    private string[] _sample = null!;
    private string _short = null!;

    /// <summary>Loads models/bench/minilm-l6 with its defaults and a 256-text sample of the corpus.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _embedder = TextEmbedder.Create(BenchmarkPaths.BenchModel("minilm-l6"));
        string[] corpus = BenchmarkCorpus.Load();
        _sample = BenchmarkCorpus.Sample(corpus, 256);
        _short = "Real-time strategy game of ancient warfare";
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    [GlobalCleanup]
    public void Cleanup() => _embedder.Dispose();

    /// <summary>256 texts of mixed length in one call (length-sorted batches within the default token budget).</summary>
    [Benchmark(Baseline = true)]
    public EmbeddingBatch Embed256MixedTexts() => _embedder.Embed(_sample);

    /// <summary>One short text: the latency of a single request.</summary>
    [Benchmark]
    public float[] EmbedOneShortText() => _embedder.Embed(_short);
}
