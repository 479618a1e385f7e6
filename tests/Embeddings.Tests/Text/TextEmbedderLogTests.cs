using Embeddings.Tests.Diagnostics;
using Embeddings.Text;
using Microsoft.Extensions.Logging;

namespace Embeddings.Tests.Text;

public class TextEmbedderLogTests
{
    private static readonly string BertMean = RepositoryPaths.Model("bert-mean");

    [Fact]
    public void Loaded_Create_LogsResolvedSettingsOnce()
    {
        (ILoggerFactory factory, CapturingLoggerProvider provider) = CapturingLoggerProvider.CreateFactory(LogLevel.Information);
        using (factory)
        using (TextEmbedder.Create(BertMean, new TextEmbedderOptions { LoggerFactory = factory }))
        {
        }

        // bert-mean: 1_Pooling/config.json mean pooling over hidden size 64, max_seq_length 128, prompts query/passage.
        CapturedLog loaded = Assert.Single(provider.Entries);
        Assert.Equal(LogLevel.Information, loaded.Level);
        Assert.Equal("Embeddings.Text.TextEmbedder", loaded.Category);
        Assert.Equal("TextEmbedderLoaded", loaded.EventId.Name);
        Assert.Equal("Mean", loaded.State["Pooling"]);
        Assert.Equal(64, loaded.State["Dimension"]);
        Assert.Equal(128, loaded.State["MaxLength"]);
        Assert.Equal(false, loaded.State["Normalize"]);
        Assert.Equal(TokenBudgetBatcher.DefaultTokenBudget, loaded.State["BatchTokenBudget"]);
        Assert.Equal(Path.GetFullPath(BertMean), loaded.State["ModelFolder"]);
        Assert.Contains("pooling Mean", loaded.Message, StringComparison.Ordinal);
        Assert.Contains("dimension 64", loaded.Message, StringComparison.Ordinal);
        Assert.Contains("query", (string)loaded.State["Prompts"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_TwoLongTexts_LogsOneWarningWithCountAndFirstIndex()
    {
        (ILoggerFactory factory, CapturingLoggerProvider provider) = CapturingLoggerProvider.CreateFactory(LogLevel.Warning);
        using (factory)
        using (var embedder = TextEmbedder.Create(BertMean, new TextEmbedderOptions { MaxLength = 16, LoggerFactory = factory }))
        {
            // transformers.js: 8, 20, 19 and 8 tokens; the 20- and 19-token texts exceed 16.
            embedder.Embed(["Hello, world!", "The quick brown fox jumps over the lazy dog.", "北京是中国的首都。自由软件很重要！", "Hello, world!"]);
        }

        CapturedLog warning = Assert.Single(provider.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Equal(2, warning.State["Truncated"]);
        Assert.Equal(4, warning.State["Count"]);
        Assert.Equal(1, warning.State["FirstIndex"]);
        Assert.Equal(16, warning.State["MaxLength"]);
    }

    [Fact]
    public void Truncated_EmbedTokensOfALongText_LogsWarning()
    {
        (ILoggerFactory factory, CapturingLoggerProvider provider) = CapturingLoggerProvider.CreateFactory(LogLevel.Warning);
        using (factory)
        using (var embedder = TextEmbedder.Create(BertMean, new TextEmbedderOptions { MaxLength = 16, LoggerFactory = factory }))
        {
            embedder.EmbedTokens(["Hello, world!", "The quick brown fox jumps over the lazy dog."]);
        }

        Assert.Equal(1, Assert.Single(provider.Entries).State["FirstIndex"]);
    }

    [Fact]
    public void Truncated_ShortTextsOrChunking_LogsNoWarning()
    {
        (ILoggerFactory factory, CapturingLoggerProvider provider) = CapturingLoggerProvider.CreateFactory(LogLevel.Warning);
        using (factory)
        {
            using (var embedder = TextEmbedder.Create(BertMean, new TextEmbedderOptions { LoggerFactory = factory }))
            {
                embedder.Embed(["Hello, world!", "The quick brown fox jumps over the lazy dog."]);
            }

            using (var chunking = TextEmbedder.Create(BertMean, new TextEmbedderOptions { MaxLength = 16, LongText = LongTextPolicy.Chunk, ChunkOverlap = 4, LoggerFactory = factory }))
            {
                chunking.Embed(["The quick brown fox jumps over the lazy dog."]);
            }
        }

        Assert.Empty(provider.Entries);
    }

    [Fact]
    public void Timings_DebugEnabled_LogsTokenizationAndEveryBatch()
    {
        (ILoggerFactory factory, CapturingLoggerProvider provider) = CapturingLoggerProvider.CreateFactory(LogLevel.Debug);
        using (factory)
        using (var embedder = TextEmbedder.Create(BertMean, new TextEmbedderOptions { BatchTokenBudget = 40, LoggerFactory = factory }))
        {
            embedder.Embed(["Hello, world!", "The quick brown fox jumps over the lazy dog.", "北京是中国的首都。自由软件很重要！"]);
        }

        CapturedLog tokenized = Assert.Single(provider.Entries, e => e.EventId.Name == "TextsTokenized");
        Assert.Equal(LogLevel.Debug, tokenized.Level);
        Assert.Equal(8L + 20 + 19, tokenized.State["Tokens"]);
        Assert.Equal(3, tokenized.State["Sequences"]);
        var batches = provider.Entries.Where(e => e.EventId.Name == "BatchRun").ToList();
        Assert.True(batches.Count >= 2, "a 40-token budget cannot hold 3 sequences of up to 20 tokens");
        Assert.Equal(3, batches.Sum(b => (int)b.State["Sequences"]!));
        Assert.All(batches, b => Assert.True((int)b.State["Sequences"]! * (int)b.State["PaddedLength"]! <= 40));
        Assert.All(batches, b => Assert.True((double)b.State["RunMilliseconds"]! > 0));
    }

    [Fact]
    public void Timings_InformationLevel_LogsNoDebugEntries()
    {
        (ILoggerFactory factory, CapturingLoggerProvider provider) = CapturingLoggerProvider.CreateFactory(LogLevel.Information);
        using (factory)
        using (var embedder = TextEmbedder.Create(BertMean, new TextEmbedderOptions { LoggerFactory = factory }))
        {
            embedder.Embed(["Hello, world!"]);
        }

        Assert.DoesNotContain(provider.Entries, e => e.Level < LogLevel.Information);
    }
}
