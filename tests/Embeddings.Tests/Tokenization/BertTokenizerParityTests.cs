using System.Globalization;
using System.Text;
using Embeddings.Tokenization;

namespace Embeddings.Tests.Tokenization;

/// <summary>Parity of <see cref="BertTokenizer"/> with transformers.js on the multilingual corpus (tests/data/tokenization).</summary>
public class BertTokenizerParityTests
{
    [Theory]
    [InlineData("bert-mean")]
    [InlineData("bert-cls-cased")]
    [InlineData("tokenizer-zh")]
    [InlineData("sequence-whitespace")]
    [InlineData("punctuation-added-tokens")]
    [InlineData("roberta-processing")]
    public void Encode_Corpus_IdsEqualOracle(string model)
    {
        BertTokenizer tokenizer = BertTokenizer.FromDirectory(TokenizationTestData.ModelDirectory(model));
        AssertCorpusParity(tokenizer, model);
    }

    [Fact]
    public void Encode_CorpusOnManyThreads_IdsEqualOracle()
    {
        // One shared instance; each thread reuses its own scratch buffers.
        BertTokenizer tokenizer = BertTokenizer.FromDirectory(TokenizationTestData.ModelDirectory("bert-mean"));
        IReadOnlyList<string> corpus = TokenizationTestData.Corpus;
        List<OracleRecord> expected = TokenizationTestData.ReadExpected("bert-mean");
        int failed = 0;
        Parallel.For(0, corpus.Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            Span<int> ids = stackalloc int[64];
            int[] full = expected[i].Ids;
            int written = tokenizer.Encode(corpus[i], ids);
            bool same = full.Length <= 64 ? ids[..written].SequenceEqual(full) : ids[..63].SequenceEqual(full.AsSpan(0, 63));
            if (!same || !tokenizer.Encode(corpus[i]).Ids.SequenceEqual(full))
            {
                Interlocked.Increment(ref failed);
            }
        });
        Assert.Equal(0, failed);
    }

    [Theory]
    [InlineData("bert-mean")]
    [InlineData("tokenizer-zh")]
    public void Encode_CorpusFromVocabTxt_IdsEqualOracle(string model)
    {
        string directory = Directory.CreateTempSubdirectory("vocab-only-").FullName;
        try
        {
            File.Copy(Path.Combine(TokenizationTestData.ModelDirectory(model), "vocab.txt"), Path.Combine(directory, "vocab.txt"));
            File.Copy(Path.Combine(TokenizationTestData.ModelDirectory(model), "tokenizer_config.json"), Path.Combine(directory, "tokenizer_config.json"));
            AssertCorpusParity(BertTokenizer.FromDirectory(directory), model);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("bert-mean")]
    [InlineData("bert-cls-cased")]
    [InlineData("tokenizer-zh")]
    [InlineData("sequence-whitespace")]
    [InlineData("punctuation-added-tokens")]
    [InlineData("roberta-processing")]
    public void EncodePair_CorpusPairs_IdsAndTypesEqualOracle(string model)
    {
        BertTokenizer tokenizer = BertTokenizer.FromDirectory(TokenizationTestData.ModelDirectory(model));
        IReadOnlyList<string> corpus = TokenizationTestData.Corpus;
        List<OracleRecord> expected = TokenizationTestData.ReadExpected(model);
        int compared = 0;
        var failures = new StringBuilder();
        for (int i = 0; i < expected.Count; i++)
        {
            if (expected[i].PairIds is not { } pairIds)
            {
                continue;
            }

            TokenizedText actual = tokenizer.EncodePair(corpus[i], corpus[i + 1]);
            compared++;
            // Hugging Face tokenizers' RobertaProcessing sets every type id to 0 (RoBERTa's type vocabulary has one
            // entry); transformers.js gives the second sequence 1, so for that post-processor only its ids are the oracle.
            int[] types = model == "roberta-processing" ? new int[pairIds.Length] : expected[i].PairTypeIds!;
            if (!actual.Ids.SequenceEqual(pairIds) || !actual.TypeIds.SequenceEqual(types))
            {
                failures.AppendLine(CultureInfo.InvariantCulture, $"line {i}: {Show(corpus[i])} | {Show(corpus[i + 1])}");
            }
        }

        Assert.True(compared >= 500, $"only {compared} pairs compared");
        Assert.True(failures.Length == 0, failures.ToString());
    }

    [Theory]
    [InlineData("bert-mean")]
    [InlineData("bert-cls-cased")]
    [InlineData("tokenizer-zh")]
    public void EncodeSpan_Corpus_EqualsOracleTruncatedLikeSentenceTransformers(string model)
    {
        // sentence-transformers keeps [CLS] + the first max-2 tokens + [SEP]; the oracle ids give the expectation.
        BertTokenizer tokenizer = BertTokenizer.FromDirectory(TokenizationTestData.ModelDirectory(model));
        IReadOnlyList<string> corpus = TokenizationTestData.Corpus;
        List<OracleRecord> expected = TokenizationTestData.ReadExpected(model);
        const int MaxLength = 16;
        Span<int> ids = stackalloc int[MaxLength];
        for (int i = 0; i < expected.Count; i++)
        {
            int[] full = expected[i].Ids;
            int[] truncatedExpectation = full.Length <= MaxLength ? full : [.. full[..(MaxLength - 1)], full[^1]];
            int written = tokenizer.Encode(corpus[i], ids, [], out bool truncated);
            Assert.True(ids[..written].SequenceEqual(truncatedExpectation), $"line {i}: {Show(corpus[i])}");
            Assert.Equal(full.Length > MaxLength, truncated);
        }
    }

    [Fact]
    public void Encode_CasedCorpus_OffsetsCoverTheTokenText()
    {
        // With a cased vocabulary the normalizer only removes controls, so a token's offsets must cover exactly its text.
        BertTokenizer tokenizer = BertTokenizer.FromDirectory(TokenizationTestData.ModelDirectory("bert-cls-cased"));
        int checkedTokens = 0;
        foreach (string text in TokenizationTestData.Corpus)
        {
            TokenizedText encoding = tokenizer.Encode(text);
            int previousEnd = 0;
            for (int k = 0; k < encoding.Count; k++)
            {
                TokenOffset offset = encoding.Offsets[k];
                if (encoding.SequenceIds[k] < 0)
                {
                    Assert.Equal(default, offset);
                    continue;
                }

                Assert.InRange(offset.Start, previousEnd, offset.End);
                Assert.InRange(offset.End, offset.Start + 1, text.Length);
                previousEnd = offset.End;
                string token = encoding.Tokens[k];
                string covered = text[offset.Start..offset.End];
                if (token == "[UNK]" || covered.Any(c => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse))
                {
                    continue;
                }

                Assert.Equal(token.StartsWith("##", StringComparison.Ordinal) ? token[2..] : token, covered);
                checkedTokens++;
            }
        }

        Assert.True(checkedTokens > 50_000, $"only {checkedTokens} tokens checked");
    }

    private static void AssertCorpusParity(BertTokenizer tokenizer, string model)
    {
        IReadOnlyList<string> corpus = TokenizationTestData.Corpus;
        List<OracleRecord> expected = TokenizationTestData.ReadExpected(model);
        Assert.Equal(corpus.Count, expected.Count);
        Assert.True(corpus.Count >= 5000);
        var failures = new StringBuilder();
        int failed = 0;
        for (int i = 0; i < corpus.Count; i++)
        {
            TokenizedText actual = tokenizer.Encode(corpus[i]);
            if (!actual.Ids.SequenceEqual(expected[i].Ids))
            {
                if (++failed <= 10)
                {
                    failures.AppendLine(CultureInfo.InvariantCulture, $"line {i}: {Show(corpus[i])}");
                    failures.AppendLine(CultureInfo.InvariantCulture, $"  expected {string.Join(' ', expected[i].Ids)}");
                    failures.AppendLine(CultureInfo.InvariantCulture, $"  actual   {string.Join(' ', actual.Ids)}");
                }
            }
        }

        Assert.True(failed == 0, $"{failed} of {corpus.Count} lines differ:\n{failures}");
    }

    private static string Show(string text)
    {
        var builder = new StringBuilder();
        foreach (char c in text.Length > 120 ? text[..120] : text)
        {
            builder.Append(c < 32 || c is >= '\u007f' and <= '\u00a0' || char.IsSurrogate(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format
                ? $"\\u{(int)c:x4}"
                : c.ToString());
        }

        return builder.ToString();
    }
}
