using Embeddings.Pooling;
using Embeddings.Text;

namespace Embeddings.Tests.Text;

public class TextEmbedderTests
{
    public static TheoryData<string, PoolingMode, bool> PoolingCases()
    {
        var data = new TheoryData<string, PoolingMode, bool>();
        foreach ((string name, PoolingMode mode) in Modes)
        {
            data.Add(name, mode, false);
            data.Add(name, mode, true);
        }

        return data;
    }

    private static readonly (string Name, PoolingMode Mode)[] Modes =
    [
        ("cls", PoolingMode.Cls),
        ("mean", PoolingMode.Mean),
        ("max", PoolingMode.Max),
        ("mean_sqrt_len_tokens", PoolingMode.MeanSqrtLen),
        ("weightedmean", PoolingMode.WeightedMean),
        ("lasttoken", PoolingMode.LastToken),
    ];

    [Theory]
    [MemberData(nameof(PoolingCases))]
    public void Embed_EveryPooling_MatchesPyTorchBatchedAndInAnyOrder(string name, PoolingMode mode, bool normalize)
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        using TextEmbedder embedder = TextEmbedder.Create(expected.Folder, new TextEmbedderOptions { Pooling = mode, Normalize = normalize });
        string key = name + (normalize ? ":normalized" : ":raw");

        string[] texts = expected.Cases.Select(c => c.Text).ToArray();
        EmbeddingBatch batch = embedder.Embed(texts);
        Assert.Equal(texts.Length, batch.Count);
        for (int i = 0; i < texts.Length; i++)
        {
            TextExpectations.AssertClose(expected.Cases[i].Pooled[key], batch[i], $"{expected.Cases[i].Name} {key}");
            Assert.Equal(expected.Cases[i].InputIds.Length, batch.GetTokenCount(i));
            Assert.Equal(expected.Cases[i].IsTruncated, batch.IsTruncated(i));
        }

        // Reversed order (different batch composition) gives the same vectors.
        string[] reversed = texts.Reverse().ToArray();
        EmbeddingBatch again = embedder.Embed(reversed);
        for (int i = 0; i < texts.Length; i++)
        {
            ExpectedCase c = expected.Cases[texts.Length - 1 - i];
            TextExpectations.AssertClose(c.Pooled[key], again[i], $"{c.Name} reversed {key}");
        }
    }

    [Fact]
    public void Embed_SingleText_MatchesPyTorch()
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        using TextEmbedder embedder = TextEmbedder.Create(expected.Folder);
        Assert.Equal(PoolingMode.Mean, embedder.Settings.Pooling);
        Assert.False(embedder.Settings.Normalize);
        foreach (ExpectedCase c in expected.Cases.Take(5))
        {
            TextExpectations.AssertClose(c.Pooled["mean:raw"], embedder.Embed(c.Text), c.Name);
        }
    }

    [Fact]
    public void Embed_DenseAndNormalizeFolder_MatchesSentenceTransformers()
    {
        TextExpectations expected = TextExpectations.Load("bert-cls-cased");
        using TextEmbedder embedder = TextEmbedder.Create(expected.Folder);
        Assert.Equal(32, embedder.Dimension);
        Assert.True(embedder.Settings.Normalize);
        Assert.Equal(64, embedder.Settings.MaxLength);

        EmbeddingBatch batch = embedder.Embed(expected.Cases.Select(c => c.Text).ToArray());
        for (int i = 0; i < batch.Count; i++)
        {
            TextExpectations.AssertClose(expected.Cases[i].Pooled["sentence_embedding"], batch[i], expected.Cases[i].Name);
        }
    }

    [Fact]
    public void Embed_DenseWithoutNormalize_MatchesDenseOutput()
    {
        TextExpectations expected = TextExpectations.Load("bert-cls-cased");
        using TextEmbedder embedder = TextEmbedder.Create(expected.Folder, new TextEmbedderOptions { Normalize = false });
        EmbeddingBatch batch = embedder.Embed(expected.Cases.Select(c => c.Text).ToArray());
        for (int i = 0; i < batch.Count; i++)
        {
            TextExpectations.AssertClose(expected.Cases[i].Pooled["dense_output"], batch[i], expected.Cases[i].Name);
        }
    }

    [Fact]
    public void EmbedTokens_MatchesLastHiddenState()
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        using TextEmbedder embedder = TextEmbedder.Create(expected.Folder, new TextEmbedderOptions { Pooling = PoolingMode.None });
        IReadOnlyList<TokenEmbeddings> tokens = embedder.EmbedTokens(expected.Cases.Select(c => c.Text).ToArray());
        for (int i = 0; i < tokens.Count; i++)
        {
            Assert.Equal(expected.Cases[i].InputIds, tokens[i].Ids);
            TextExpectations.AssertClose(expected.Cases[i].LastHiddenState, tokens[i].Vectors, expected.Cases[i].Name);
        }
    }

    [Fact]
    public void Embed_TinyBudget_SameVectorsAsDefault()
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        string[] texts = expected.Cases.Select(c => c.Text).ToArray();
        using TextEmbedder small = TextEmbedder.Create(expected.Folder, new TextEmbedderOptions { BatchTokenBudget = 1 });
        EmbeddingBatch batch = small.Embed(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            TextExpectations.AssertClose(expected.Cases[i].Pooled["mean:raw"], batch[i], expected.Cases[i].Name);
        }
    }

    [Fact]
    public void Embed_ConcurrentCallers_GetTheirOwnResults()
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        using TextEmbedder embedder = TextEmbedder.Create(expected.Folder);
        Parallel.For(0, 8, worker =>
        {
            ExpectedCase c = expected.Cases[worker % expected.Cases.Count];
            for (int k = 0; k < 3; k++)
            {
                TextExpectations.AssertClose(c.Pooled["mean:raw"], embedder.Embed(c.Text), c.Name);
            }
        });
    }

    [Fact]
    public void Embed_NullCollection_Throws()
    {
        using TextEmbedder embedder = TextEmbedder.Create(TextExpectations.Load("bert-mean").Folder);
        Assert.Throws<ArgumentNullException>(() => embedder.Embed((IReadOnlyList<string>)null!));
    }

    [Fact]
    public void Embed_EmptyCollection_ThrowsArgument()
    {
        using TextEmbedder embedder = TextEmbedder.Create(TextExpectations.Load("bert-mean").Folder);
        Assert.Throws<ArgumentException>(() => embedder.Embed(Array.Empty<string>()));
    }

    [Fact]
    public void Embed_NullElement_ThrowsNamingIndex()
    {
        using TextEmbedder embedder = TextEmbedder.Create(TextExpectations.Load("bert-mean").Folder);
        var exception = Assert.Throws<ArgumentException>(() => embedder.Embed(["a", null!, "b"]));
        Assert.Contains("Text 1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Embed_TooLongUnderErrorPolicy_ThrowsNamingIndex()
    {
        using TextEmbedder embedder = TextEmbedder.Create(TextExpectations.Load("bert-mean").Folder, new TextEmbedderOptions { LongText = LongTextPolicy.Error });
        var exception = Assert.Throws<ArgumentException>(() => embedder.Embed(["short", string.Concat(Enumerable.Repeat("word ", 5000))]));
        Assert.Contains("Text 1", exception.Message, StringComparison.Ordinal);
        Assert.Contains("128", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_FolderWithoutTokenizer_ThrowsFileNotFound()
    {
        using TempFolder folder = new();
        File.Copy(Path.Combine(TextExpectations.Load("bert-mean").Folder, "config.json"), Path.Combine(folder.Path, "config.json"));
        var exception = Assert.Throws<FileNotFoundException>(() => TextEmbedder.Create(folder.Path));
        Assert.Contains("tokenizer", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_OnnxWithoutExpectedInputs_ThrowsNamingInputs()
    {
        using TempFolder folder = new();
        string source = TextExpectations.Load("bert-mean").Folder;
        File.Copy(Path.Combine(source, "tokenizer.json"), Path.Combine(folder.Path, "tokenizer.json"));
        File.Copy(Path.Combine(TestFiles.RepoRoot(), "models", "testgraphs", "affine.onnx"), Path.Combine(folder.Path, "model.onnx"));
        var exception = Assert.Throws<InvalidDataException>(() => TextEmbedder.Create(folder.Path));
        Assert.Contains("model.onnx", exception.Message, StringComparison.Ordinal);
        Assert.Contains("input", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_DenseThatDoesNotFit_ThrowsNamingLayer()
    {
        // Concatenating CLS and mean doubles the pooled length, which the 64→32 Dense layer cannot take.
        string folder = TextExpectations.Load("bert-cls-cased").Folder;
        var exception = Assert.Throws<InvalidDataException>(() => TextEmbedder.Create(folder, new TextEmbedderOptions { Pooling = PoolingMode.Cls | PoolingMode.Mean }));
        Assert.Contains("2_Dense", exception.Message, StringComparison.Ordinal);
        Assert.Contains("128", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_UnknownModelFileName_ThrowsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => TextEmbedder.Create(TextExpectations.Load("bert-mean").Folder, new TextEmbedderOptions { ModelFileName = "model_quantized.onnx" }));

    [Fact]
    public void Create_ModelFileNameEscapingFolder_ThrowsInvalidData() =>
        Assert.Throws<InvalidDataException>(() => TextEmbedder.Create(TextExpectations.Load("bert-mean").Folder, new TextEmbedderOptions { ModelFileName = "../bert-ner/onnx/model.onnx" }));

    [Fact]
    public void Embed_VocabOnlyFolderWithoutSentenceTransformersFiles_FallsBackToMeanLikeSentenceTransformers()
    {
        TextExpectations expected = TextExpectations.Load("bert-vocab-only");
        using TextEmbedder embedder = TextEmbedder.Create(expected.Folder);
        Assert.Equal(PoolingMode.Mean, embedder.Settings.Pooling);
        Assert.Equal(512, embedder.Settings.MaxLength);

        EmbeddingBatch batch = embedder.Embed(expected.Cases.Select(c => c.Text).ToArray());
        for (int i = 0; i < batch.Count; i++)
        {
            TextExpectations.AssertClose(expected.Cases[i].Pooled["mean:raw"], batch[i], expected.Cases[i].Name);
        }
    }

    [Fact]
    public void Embed_CustomPooler_IsUsedAndSetsDimension()
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        using TextEmbedder embedder = TextEmbedder.Create(expected.Folder, new TextEmbedderOptions { Pooler = new SecondTokenPooler() });
        Assert.Equal(64, embedder.Dimension);
        Assert.Equal(typeof(SecondTokenPooler).FullName, embedder.Settings.CustomPooler);
        ExpectedCase c = expected.Cases[0];

        TextExpectations.AssertClose(c.LastHiddenState.AsSpan(64, 64).ToArray(), embedder.Embed(c.Text), "second token");
    }

    [Fact]
    public void Embed_DoLowerCaseConfig_LowercasesBeforeTokenizing()
    {
        // The cased model with do_lower_case=true must give "HELLO WORLD" the vector PyTorch gives "hello world".
        TextExpectations expected = TextExpectations.Load("bert-cls-cased");
        using TempFolder folder = new();
        foreach (string file in Directory.GetFiles(expected.Folder))
        {
            File.Copy(file, Path.Combine(folder.Path, Path.GetFileName(file)));
        }

        folder.CopyDirectory(Path.Combine(expected.Folder, "1_Pooling"), "1_Pooling");
        folder.CopyDirectory(Path.Combine(expected.Folder, "2_Dense"), "2_Dense");
        File.WriteAllText(Path.Combine(folder.Path, "sentence_bert_config.json"), """{"max_seq_length": 64, "do_lower_case": true}""");
        using TextEmbedder lowered = TextEmbedder.Create(folder.Path);
        using TextEmbedder plain = TextEmbedder.Create(expected.Folder);
        Assert.True(lowered.Settings.LowerCase);

        Assert.Equal(plain.Embed("hello world"), lowered.Embed("HELLO World"));
        Assert.NotEqual(plain.Embed("HELLO World"), lowered.Embed("HELLO World"));
    }

    private sealed class SecondTokenPooler : ITokenPooler
    {
        public int GetOutputDimension(int tokenDimension) => tokenDimension;

        public void Pool(ReadOnlySpan<float> tokens, ReadOnlySpan<long> mask, int dimension, Span<float> destination) =>
            tokens.Slice(dimension, dimension).CopyTo(destination);
    }
    [Theory]
    [InlineData(false, "mean")]
    [InlineData(true, "mean_normalized")]
    public void Embed_ModelWithoutTokenTypeIds_MatchesNumpyOverOracleIds(bool normalize, string key)
    {
        // DistilBERT and MPNet exports take only input_ids and attention_mask. The graph (models/scripts/test_graphs.py)
        // looks token vectors up in a table; numpy averaged them over transformers.js's ids for the same texts.
        using var folder = new Embeddings.Tests.Vision.TemporaryFolder();
        foreach (string file in new[] { "tokenizer.json", "tokenizer_config.json", "vocab.txt" })
        {
            File.Copy(RepositoryPaths.Model("bert-mean", file), Path.Combine(folder.Path, file));
        }

        File.Copy(RepositoryPaths.Model("testgraphs", "text_without_token_types.onnx"), Path.Combine(folder.Path, "model.onnx"));
        System.Text.Json.JsonElement graph = TestGraphs.Expected.GetProperty("text_without_token_types");
        string[] texts = [.. graph.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!)];
        float[][] vectors = [.. graph.GetProperty(key).EnumerateArray().Select(v => v.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray())];

        using TextEmbedder embedder = TextEmbedder.Create(folder.Path, new TextEmbedderOptions { Pooling = PoolingMode.Mean, Normalize = normalize });
        EmbeddingBatch batch = embedder.Embed(texts);
        for (int i = 0; i < texts.Length; i++)
        {
            float[] actual = batch.ToArray(i);
            for (int d = 0; d < actual.Length; d++)
            {
                Assert.True(Math.Abs(vectors[i][d] - actual[d]) <= 1e-5f, $"text {i} component {d}: expected {vectors[i][d]}, got {actual[d]}");
            }
        }
    }
}
