using Embeddings.Imaging;
using Embeddings.Text;
using Embeddings.Vision;
using Microsoft.Extensions.AI;

namespace Embeddings.Tests.Diagnostics;

/// <summary>
/// Measurements of the <c>Embeddings</c> meter for known inputs. Token counts come from transformers.js
/// (models/expected/&lt;model&gt;/tokens.json), never from the library's tokenizer.
/// </summary>
public class EmbeddingsMetricsTests
{
    private static readonly string BertMean = RepositoryPaths.Model("bert-mean");

    [Fact]
    public void TextEmbedder_ThreeTexts_CountsTextsAndReferenceTokens()
    {
        (string[] texts, int[] tokens) = Cases("bert-mean", "ascii_hello", "ascii_fox", "cjk_chinese");
        using var factory = new TestMeterFactory();
        using var capture = MetricsCapture.For(factory);
        using var embedder = TextEmbedder.Create(BertMean, new TextEmbedderOptions { MeterFactory = factory });

        embedder.Embed(texts);

        CapturedMeasurement counted = Assert.Single(capture.Get("embeddings.texts"));
        Assert.Equal(3, counted.Value);
        Assert.Equal("bert-mean", counted.Tags["model"]);
        Assert.Equal("embed", counted.Tags["operation"]);
        Assert.Equal(tokens.Sum(), capture.Sum("embeddings.tokens"));
        Assert.Equal(0, capture.Sum("embeddings.truncated"));
        CapturedMeasurement duration = Assert.Single(capture.Get("embeddings.duration"));
        Assert.Equal("s", duration.Unit);
        Assert.True(duration.Value > 0);
        Assert.Empty(capture.Get("embeddings.images"));
    }

    [Fact]
    public void TextEmbedder_ThreeShortTexts_RecordsOneBatchAndItsPaddingRatio()
    {
        (string[] texts, int[] tokens) = Cases("bert-mean", "ascii_hello", "ascii_fox", "cjk_chinese");
        using var factory = new TestMeterFactory();
        using var capture = MetricsCapture.For(factory);
        using var embedder = TextEmbedder.Create(BertMean, new TextEmbedderOptions { MeterFactory = factory });

        embedder.Embed(texts);

        // 3 × 20 padded tokens fit the default 1,024-token budget: one run, padded to the longest text.
        Assert.Equal(3, Assert.Single(capture.Get("embeddings.batch.size")).Value);
        double padded = texts.Length * tokens.Max();
        Assert.Equal((padded - tokens.Sum()) / tokens.Sum(), Assert.Single(capture.Get("embeddings.batch.padding_ratio")).Value, 12);
    }

    [Fact]
    public void TextEmbedder_TextsLongerThanMaxLength_CountsTruncatedAndKeptTokens()
    {
        (string[] texts, int[] tokens) = Cases("bert-mean", "ascii_hello", "ascii_fox", "long_truncated");
        Assert.Equal([8, 20, 282], tokens);
        using var factory = new TestMeterFactory();
        using var capture = MetricsCapture.For(factory);
        using var embedder = TextEmbedder.Create(BertMean, new TextEmbedderOptions { MaxLength = 16, MeterFactory = factory });

        embedder.Embed(texts);

        Assert.Equal(2, capture.Sum("embeddings.truncated"));
        Assert.Equal(8 + 16 + 16, capture.Sum("embeddings.tokens"));
    }

    [Fact]
    public void TextEmbedder_ChunkPolicy_CountsNoTruncation()
    {
        (string[] texts, _) = Cases("bert-mean", "ascii_hello", "long_truncated");
        using var factory = new TestMeterFactory();
        using var capture = MetricsCapture.For(factory);
        using var embedder = TextEmbedder.Create(BertMean, new TextEmbedderOptions { MaxLength = 16, LongText = LongTextPolicy.Chunk, ChunkOverlap = 4, MeterFactory = factory });

        embedder.Embed(texts);

        Assert.Equal(0, capture.Sum("embeddings.truncated"));
        Assert.Equal(2, capture.Sum("embeddings.texts"));
        Assert.True(capture.Get("embeddings.batch.size").Sum(m => m.Value) > 2, "every chunk is a sequence of some model run");
    }

    [Fact]
    public void TextEmbedder_EmbedTokens_TagsOperationEmbedTokens()
    {
        (string[] texts, int[] tokens) = Cases("bert-mean", "ascii_hello", "greek");
        using var factory = new TestMeterFactory();
        using var capture = MetricsCapture.For(factory);
        using var embedder = TextEmbedder.Create(BertMean, new TextEmbedderOptions { MeterFactory = factory });

        embedder.EmbedTokens(texts);

        CapturedMeasurement counted = Assert.Single(capture.Get("embeddings.tokens"));
        Assert.Equal(tokens.Sum(), counted.Value);
        Assert.Equal("embed_tokens", counted.Tags["operation"]);
        Assert.Equal("embed_tokens", Assert.Single(capture.Get("embeddings.duration")).Tags["operation"]);
    }

    [Fact]
    public async Task TextEmbedder_GenerateAsync_RecordsLikeEmbed()
    {
        (string[] texts, int[] tokens) = Cases("bert-mean", "cyrillic", "hangul", "emoji", "numbers");
        using var factory = new TestMeterFactory();
        using var capture = MetricsCapture.For(factory);
        using var embedder = TextEmbedder.Create(BertMean, new TextEmbedderOptions { MeterFactory = factory });

        GeneratedEmbeddings<Embedding<float>> generated = await ((IEmbeddingGenerator<string, Embedding<float>>)embedder).GenerateAsync(texts);

        Assert.Equal(4, capture.Sum("embeddings.texts"));
        Assert.Equal(tokens.Sum(), capture.Sum("embeddings.tokens"));
        Assert.Equal(generated.Usage!.InputTokenCount, (long)capture.Sum("embeddings.tokens"));
    }

    [Fact]
    public void EntityRecognizer_Recognize_CountsTextsAndTokensTaggedNer()
    {
        (string[] texts, int[] tokens) = Cases("bert-ner", "ner_company", "ner_people", "ascii_hello");
        using var factory = new TestMeterFactory();
        using var capture = MetricsCapture.For(factory);
        using var recognizer = EntityRecognizer.Create(RepositoryPaths.Model("bert-ner"), new EntityRecognizerOptions { MaxLength = 28, MeterFactory = factory });

        recognizer.Recognize(texts);

        Assert.Equal(3, capture.Sum("embeddings.texts"));
        Assert.Equal(tokens.Sum(t => Math.Min(t, 28)), capture.Sum("embeddings.tokens"));
        Assert.Equal(1, capture.Sum("embeddings.truncated"));
        Assert.All(capture.Get("embeddings.duration"), m => Assert.Equal("ner", m.Tags["operation"]));
        Assert.Equal("bert-ner", Assert.Single(capture.Get("embeddings.texts")).Tags["model"]);
    }

    [Fact]
    public void ImageEmbedder_FiveImagesInBatchesOfTwo_CountsImagesAndBatchSizes()
    {
        using var factory = new TestMeterFactory();
        using var capture = MetricsCapture.For(factory);
        using var embedder = ImageEmbedder.Create(RepositoryPaths.Model("vit"), new ImageEmbedderOptions { BatchSize = 2, MeterFactory = factory });
        ImageInput[] images = [.. new[] { "jpeg_420.jpg", "jpeg_422.jpg", "jpeg_411.jpg", "jpeg_440.jpg", "jpeg_420_odd.jpg" }.Select(name => ImageInput.FromFile(RepositoryPaths.Model("images", name)))];

        embedder.Embed(images);

        CapturedMeasurement counted = Assert.Single(capture.Get("embeddings.images"));
        Assert.Equal(5, counted.Value);
        Assert.Equal("vit", counted.Tags["model"]);
        Assert.Equal("embed_image", counted.Tags["operation"]);
        Assert.Equal([2.0, 2.0, 1.0], capture.Get("embeddings.batch.size").Select(m => m.Value));
        Assert.Single(capture.Get("embeddings.duration"));
        Assert.Empty(capture.Get("embeddings.texts"));
    }

    [Fact]
    public void TextEmbedder_NoMeterFactory_RecordsOnTheStaticMeter()
    {
        string name = "bert-mean-static-" + Guid.NewGuid().ToString("N");
        string folder = Path.Combine(Path.GetTempPath(), name);
        CopyDirectory(BertMean, folder);
        try
        {
            (string[] texts, int[] tokens) = Cases("bert-mean", "ascii_hello", "ascii_fox");
            using var capture = MetricsCapture.ForStaticMeter(name);
            using (var embedder = TextEmbedder.Create(folder))
            {
                embedder.Embed(texts);
            }

            Assert.Equal(2, capture.Sum("embeddings.texts"));
            Assert.Equal(tokens.Sum(), capture.Sum("embeddings.tokens"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TextEmbedder_FailedCall_RecordsNothing()
    {
        using var factory = new TestMeterFactory();
        using var capture = MetricsCapture.For(factory);
        using var embedder = TextEmbedder.Create(BertMean, new TextEmbedderOptions { MaxLength = 16, LongText = LongTextPolicy.Error, MeterFactory = factory });

        Assert.Throws<ArgumentException>(() => embedder.Embed(Cases("bert-mean", "ascii_hello", "long_truncated").Texts));

        Assert.Empty(capture.Get("embeddings.texts"));
        Assert.Empty(capture.Get("embeddings.duration"));
    }

    private static (string[] Texts, int[] Tokens) Cases(string model, params string[] names)
    {
        var cases = names.Select(name => ReferenceTokens.Case(model, name)).ToArray();
        return ([.. cases.Select(c => c.Text)], [.. cases.Select(c => c.Tokens)]);
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (string directory in Directory.GetDirectories(source))
        {
            CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
        }
    }
}
