using Embeddings.Text;

namespace Embeddings.Tests.Reliability;

/// <summary>Every documented limit has its default and refuses input past it with the documented exception.</summary>
public class LimitsTests
{
    [Fact]
    public void TextEmbedder_TextOverCharacterLimit_ThrowsArgumentExceptionNamingIndex()
    {
        using TextEmbedder embedder = TextEmbedder.Create(ReliabilityModels.TextFolder, new TextEmbedderOptions { MaxCharacters = 100 });

        ArgumentException error = Assert.Throws<ArgumentException>(() => embedder.Embed(["short", new string('a', 101)]));

        Assert.Contains("Text 1 ", error.Message, StringComparison.Ordinal);
        Assert.Contains("101 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxCharacters", error.Message, StringComparison.Ordinal);
        Assert.Equal(100, embedder.Settings.MaxCharacters);
        Assert.Equal(100, embedder.Embed(new string('a', 100)).Length > 0 ? 100 : 0);
    }

    [Fact]
    public void TextEmbedder_DefaultCharacterLimit_IsOneMillionAndRefusesMore()
    {
        using TextEmbedder embedder = TextEmbedder.Create(ReliabilityModels.TextFolder);

        Assert.Equal(1_000_000, TextEmbedderOptions.DefaultMaxCharacters);
        Assert.Equal(TextEmbedderOptions.DefaultMaxCharacters, embedder.Settings.MaxCharacters);
        Assert.Throws<ArgumentException>(() => embedder.Embed(new string('a', 1_000_001)));
        Assert.Throws<ArgumentException>(() => embedder.EmbedTokens([new string('a', 1_000_001)]));
    }

    [Fact]
    public void TextEmbedder_TextAtDefaultCharacterLimit_Embeds()
    {
        using TextEmbedder embedder = TextEmbedder.Create(ReliabilityModels.TextFolder);
        string text = string.Concat(Enumerable.Repeat("lorem ipsum ", (TextEmbedderOptions.DefaultMaxCharacters / 12) + 1))[..TextEmbedderOptions.DefaultMaxCharacters];

        EmbeddingBatch batch = embedder.Embed([text]);

        Assert.True(batch.IsTruncated(0));
        Assert.Equal(128, batch.GetTokenCount(0));
    }

    [Fact]
    public async Task TextEmbedder_StreamTextOverCharacterLimit_NamesStreamIndex()
    {
        using TextEmbedder embedder = TextEmbedder.Create(ReliabilityModels.TextFolder, new TextEmbedderOptions { MaxCharacters = 10 });

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (TextEmbedding _ in embedder.EmbedStreamAsync(Texts(300, at: 270)))
            {
            }
        });

        Assert.Contains("Text 270 of the stream", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextEmbedder_NonPositiveCharacterLimit_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TextEmbedder.Create(ReliabilityModels.TextFolder, new TextEmbedderOptions { MaxCharacters = 0 }));
    }

    [Fact]
    public void EntityRecognizer_TextOverCharacterLimit_ThrowsArgumentExceptionNamingIndex()
    {
        using EntityRecognizer recognizer = EntityRecognizer.Create(ReliabilityModels.NerFolder, new EntityRecognizerOptions { MaxCharacters = 20 });

        ArgumentException error = Assert.Throws<ArgumentException>(() => recognizer.Recognize(["John", "John Smith lives in Berlin."]));

        Assert.Contains("Text 1 ", error.Message, StringComparison.Ordinal);
        Assert.Contains("EntityRecognizerOptions.MaxCharacters", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => EntityRecognizer.Create(ReliabilityModels.NerFolder, new EntityRecognizerOptions { MaxCharacters = -1 }));
    }

    [Fact]
    public void TextEmbedder_TextLongerThanTokenBudget_RunsAlone()
    {
        // A 128-token window is longer than a 16-token budget: it still gets a batch of its own.
        using TextEmbedder small = TextEmbedder.Create(ReliabilityModels.TextFolder, new TextEmbedderOptions { BatchTokenBudget = 16 });
        using TextEmbedder large = TextEmbedder.Create(ReliabilityModels.TextFolder);
        string[] texts = [ReliabilityModels.Texts[5], "short", ReliabilityModels.Texts[3]];

        EmbeddingBatch constrained = small.Embed(texts);
        EmbeddingBatch reference = large.Embed(texts);

        for (int i = 0; i < texts.Length; i++)
        {
            TextExpectationsCompare(reference.ToArray(i), constrained.ToArray(i));
        }
    }

    private static void TextExpectationsCompare(float[] expected, float[] actual) =>
        Tests.Text.TextExpectations.AssertClose(expected, actual, "budget 16 vs the default");

    private static async IAsyncEnumerable<string> Texts(int count, int at)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i == at ? "a text over ten characters" : "short";
        }
    }
}
