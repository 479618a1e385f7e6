using Embeddings.Tokenization;

namespace Embeddings.Tests.Tokenization;

/// <summary>
/// Behaviour of <see cref="BertTokenizer"/> beyond plain parity. Ids come from transformers.js (noted per test);
/// offsets, truncation and padding expectations are worked out by hand from Hugging Face's documented rules.
/// </summary>
public class BertTokenizerTests
{
    private static readonly Lazy<BertTokenizer> Uncased = new(() => BertTokenizer.FromDirectory(TokenizationTestData.ModelDirectory("bert-mean")));

    // transformers.js 4.3.1, models/bert-mean: "a" -> 161, "b" -> 162.
    private const int A = 161;
    private const int B = 162;
    private const int Cls = 101;
    private const int Sep = 102;
    private const int Pad = 0;

    [Fact]
    public void Encode_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Uncased.Value.Encode(null!));
        Assert.Throws<ArgumentNullException>(() => Uncased.Value.EncodePair("a", null!));
        Assert.Throws<ArgumentNullException>(() => Uncased.Value.EncodeBatch(["a", null!]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t\n")]
    [InlineData("\u200b\u0000")]
    public void Encode_NothingToTokenize_OnlySpecialTokens(string text)
    {
        TokenizedText encoding = Uncased.Value.Encode(text);
        Assert.Equal([Cls, Sep], encoding.Ids);
        Assert.False(encoding.IsTruncated);
    }

    [Fact]
    public void Encode_Punctuation_OffsetsAndWordsFollowHuggingFace()
    {
        // Oracle tokens: hel ##l ##o , world !
        TokenizedText encoding = Uncased.Value.Encode("Hello, World!");
        Assert.Equal([Cls, 2470, 1398, 1401, 135, 4874, 124, Sep], encoding.Ids);
        Assert.Equal(["[CLS]", "hel", "##l", "##o", ",", "world", "!", "[SEP]"], encoding.Tokens);
        Assert.Equal(
            [new(0, 0), new(0, 3), new(3, 4), new(4, 5), new(5, 6), new(7, 12), new(12, 13), new(0, 0)],
            encoding.Offsets);
        Assert.Equal([-1, 0, 0, 0, 1, 2, 3, -1], encoding.WordIds);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0], encoding.TypeIds);
        Assert.Equal([1, 1, 1, 1, 1, 1, 1, 1], encoding.AttentionMask);
    }

    [Fact]
    public void Encode_LowercaseExpandsAndAccentsStrip_OffsetsMapToOriginal()
    {
        // Oracle tokens: ist ##an ##b ##ul ca ##fe; 'İ' lowercases to two code units and 'é' loses its accent.
        TokenizedText encoding = Uncased.Value.Encode("İstanbul Café");
        Assert.Equal([Cls, 2349, 1641, 1388, 1683, 3027, 2262, Sep], encoding.Ids);
        Assert.Equal(
            [new(0, 0), new(0, 3), new(3, 5), new(5, 6), new(6, 8), new(9, 11), new(11, 13), new(0, 0)],
            encoding.Offsets);
    }

    [Fact]
    public void Encode_SpecialTokenInText_MatchedBeforeNormalization()
    {
        // Oracle tokens: na ##ive [MASK] x
        TokenizedText encoding = Uncased.Value.Encode("Naïve [MASK] x");
        Assert.Equal([Cls, 5516, 1851, 103, 184, Sep], encoding.Ids);
        Assert.Equal([new(0, 0), new(0, 2), new(2, 5), new(6, 12), new(13, 14), new(0, 0)], encoding.Offsets);
        Assert.Equal([-1, 0, 0, 1, 2, -1], encoding.WordIds);
    }

    [Fact]
    public void Encode_StrideWindows_MatchHuggingFaceTruncate()
    {
        // Content of 10 tokens, window of 4 content tokens (6 with [CLS]/[SEP]) and stride 1: windows start every
        // 3 tokens, at 0, 3 and 6, and the last one reaches the end.
        var text = string.Join(' ', Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? "a" : "b"));
        TokenizedText encoding = Uncased.Value.Encode(text, new TruncationOptions { MaxLength = 6, Stride = 1 });
        Assert.True(encoding.IsTruncated);
        Assert.Equal([Cls, A, B, A, B, Sep], encoding.Ids);
        Assert.Equal(2, encoding.Overflowing.Count);
        Assert.Equal([Cls, B, A, B, A, Sep], encoding.Overflowing[0].Ids);
        Assert.Equal([Cls, A, B, A, B, Sep], encoding.Overflowing[1].Ids);
        Assert.Equal(new TokenOffset(6, 7), encoding.Overflowing[0].Offsets[1]);
        Assert.Equal(3, encoding.Overflowing[0].WordIds[1]);
        Assert.True(encoding.Overflowing[1].IsTruncated);
    }

    [Fact]
    public void Encode_LeftTruncation_KeepsTheEnd()
    {
        TokenizedText encoding = Uncased.Value.Encode("a a a b b", new TruncationOptions { MaxLength = 4, Side = TruncationSide.Left });
        Assert.Equal([Cls, B, B, Sep], encoding.Ids);
        Assert.True(encoding.IsTruncated);
    }

    [Fact]
    public void Encode_TruncationBelowSpecialTokens_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Uncased.Value.Encode("a", new TruncationOptions { MaxLength = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Uncased.Value.Encode("a", new TruncationOptions { MaxLength = 4, Stride = 2 }));
    }

    [Theory]
    [InlineData(10, 3, 10, TruncationStrategy.LongestFirst, 4, 3)]
    [InlineData(10, 3, 12, TruncationStrategy.LongestFirst, 6, 3)]
    [InlineData(10, 10, 12, TruncationStrategy.LongestFirst, 4, 5)]
    [InlineData(3, 10, 12, TruncationStrategy.LongestFirst, 3, 6)]
    [InlineData(10, 3, 12, TruncationStrategy.OnlyFirst, 6, 3)]
    [InlineData(3, 10, 12, TruncationStrategy.OnlySecond, 3, 6)]
    public void EncodePair_Truncation_KeepsHuggingFaceLengths(int first, int second, int maxLength, TruncationStrategy strategy, int keptFirst, int keptSecond)
    {
        TokenizedText encoding = Uncased.Value.EncodePair(Repeat("a", first), Repeat("b", second), new TruncationOptions { MaxLength = maxLength, Strategy = strategy });
        int[] expected = [Cls, .. Enumerable.Repeat(A, keptFirst), Sep, .. Enumerable.Repeat(B, keptSecond), Sep];
        Assert.Equal(expected, encoding.Ids);
        Assert.Equal([0, .. Enumerable.Repeat(0, keptFirst), 0, .. Enumerable.Repeat(1, keptSecond), 1], encoding.TypeIds);
        Assert.True(encoding.IsTruncated);
    }

    [Fact]
    public void EncodePair_LongestFirstWithStride_OverflowsEveryWindowCombinationInHuggingFaceOrder()
    {
        // Hand-worked from tokenizers' truncate_encodings (each sequence cut to 3 with Encoding.truncate, stride 1) and
        // Encoding::merge_with (the first sequence's windows with every second-sequence window, then the first window
        // with the remaining second-sequence windows).
        BertTokenizer tokenizer = Uncased.Value;
        TokenizedText encoding = tokenizer.EncodePair("the of and to in", "is for with on", new TruncationOptions { MaxLength = 9, Stride = 1 });
        string Tokens(TokenizedText e) => string.Join(' ', e.Ids.Select(tokenizer.GetToken));
        Assert.Equal("[CLS] the of and [SEP] is for with [SEP]", Tokens(encoding));
        Assert.Equal(
            ["[CLS] and to in [SEP] is for with [SEP]", "[CLS] and to in [SEP] with on [SEP]", "[CLS] the of and [SEP] with on [SEP]"],
            encoding.Overflowing.Select(Tokens));
        Assert.All(encoding.Overflowing, o => Assert.True(o.IsTruncated));
        TokenizedText last = encoding.Overflowing[^1];
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1], last.TypeIds);
        Assert.Equal([new(0, 0), new(0, 3), new(4, 6), new(7, 10), new(0, 0), new(7, 11), new(12, 14), new(0, 0)], last.Offsets);
    }

    [Fact]
    public void EncodePair_OnlySecondWithStride_KeepsTheFirstWholeInEveryWindow()
    {
        // The question-answering layout: the first sequence stays, the second slides (tokenizers' OnlySecond truncation).
        BertTokenizer tokenizer = Uncased.Value;
        TokenizedText encoding = tokenizer.EncodePair("data", "the of and to in is", new TruncationOptions { MaxLength = 7, Stride = 1, Strategy = TruncationStrategy.OnlySecond });
        string Tokens(TokenizedText e) => string.Join(' ', e.Ids.Select(tokenizer.GetToken));
        Assert.Equal("[CLS] data [SEP] the of and [SEP]", Tokens(encoding));
        Assert.Equal(["[CLS] data [SEP] and to in [SEP]", "[CLS] data [SEP] in is [SEP]"], encoding.Overflowing.Select(Tokens));
    }

    [Fact]
    public void EncodePair_StrideNotBelowAKeptSequence_ThrowsNamingIt()
    {
        var exception = Assert.Throws<ArgumentException>(() => Uncased.Value.EncodePair("the of and to in", "is for with on", new TruncationOptions { MaxLength = 9, Stride = 4 }));
        Assert.Contains("first sequence keeps", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodePair_OnlySecondTooShort_Throws()
    {
        Assert.Throws<ArgumentException>(() => Uncased.Value.EncodePair(Repeat("a", 10), Repeat("b", 3), new TruncationOptions { MaxLength = 10, Strategy = TruncationStrategy.OnlySecond }));
    }

    [Fact]
    public void EncodePair_Offsets_ReferToEachText()
    {
        TokenizedText encoding = Uncased.Value.EncodePair("a", "b b");
        Assert.Equal([Cls, A, Sep, B, B, Sep], encoding.Ids);
        Assert.Equal([new(0, 0), new(0, 1), new(0, 0), new(0, 1), new(2, 3), new(0, 0)], encoding.Offsets);
        Assert.Equal([-1, 0, -1, 1, 1, -1], encoding.SequenceIds);
        Assert.Equal([-1, 0, -1, 0, 1, -1], encoding.WordIds);
    }

    [Fact]
    public void EncodeBatch_PadToLongestAndMultiple_PadsRight()
    {
        IReadOnlyList<TokenizedText> batch = Uncased.Value.EncodeBatch(["a", "a a a"], padding: new PaddingOptions());
        Assert.Equal([Cls, A, Sep, Pad, Pad], batch[0].Ids);
        Assert.Equal([1, 1, 1, 0, 0], batch[0].AttentionMask);
        Assert.Equal([Cls, A, A, A, Sep], batch[1].Ids);

        batch = Uncased.Value.EncodeBatch(["a", "a a a"], padding: new PaddingOptions { PadToMultipleOf = 8, Side = PaddingSide.Left });
        Assert.Equal([Pad, Pad, Pad, Pad, Pad, Cls, A, Sep], batch[0].Ids);
        Assert.Equal(8, batch[1].Count);
    }

    [Fact]
    public void EncodeBatch_NoPadding_KeepsLengths()
    {
        IReadOnlyList<TokenizedText> batch = Uncased.Value.EncodeBatch(["a", "a a a"]);
        Assert.Equal(3, batch[0].Count);
        Assert.Equal(5, batch[1].Count);
    }

    [Fact]
    public void EncodeBatchSpan_WritesRowsOfLongestLength()
    {
        var ids = new long[3 * 8];
        var mask = new long[3 * 8];
        var types = new long[3 * 8];
        var truncated = new bool[3];
        int length = Uncased.Value.EncodeBatch(["a", "a b a", "b"], 4, ids, mask, types, truncated);
        Assert.Equal(4, length);
        Assert.Equal([Cls, A, Sep, Pad, Cls, A, B, Sep, Cls, B, Sep, Pad], ids[..12]);
        Assert.Equal([1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0], mask[..12]);
        Assert.Equal(new long[12], types[..12]);
        Assert.Equal([false, true, false], truncated);

        length = Uncased.Value.EncodeBatch(["a", "b"], 8, ids, mask, types, truncated);
        Assert.Equal(3, length);
        Assert.Equal([Cls, A, Sep, Cls, B, Sep], ids[..6]);
    }

    [Fact]
    public void EncodeSpan_Offsets_MatchAllocatingEncode()
    {
        Span<int> ids = stackalloc int[8];
        Span<TokenOffset> offsets = stackalloc TokenOffset[8];
        int written = Uncased.Value.Encode("Hello, World!", ids, offsets, out bool truncated);
        Assert.Equal(8, written);
        Assert.False(truncated);
        Assert.Equal(new TokenOffset(7, 12), offsets[5]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Uncased.Value.Encode("a", new int[1]));
    }

    [Fact]
    public void Properties_ComeFromTheFiles()
    {
        BertTokenizer tokenizer = Uncased.Value;
        Assert.Equal(512, tokenizer.MaxLength);
        Assert.Equal(Cls, tokenizer.ClassifierId);
        Assert.Equal(Sep, tokenizer.SeparatorId);
        Assert.Equal(Pad, tokenizer.PaddingId);
        Assert.Equal(100, tokenizer.UnknownId);
        Assert.Equal(2, tokenizer.SpecialTokenCount);
        Assert.Equal("[MASK]", tokenizer.GetToken(103));
        Assert.True(tokenizer.VocabularySize > 1000);
    }

    [Theory]
    [InlineData("""{"model": {"type": "BPE", "vocab": {}, "merges": []}}""", "BPE")]
    [InlineData("""{"model": {"vocab": {}, "merges": []}}""", "BPE")]
    [InlineData("""{"model": {"type": "Unigram", "vocab": [["a", -1.0]]}}""", "Unigram")]
    [InlineData("""{"model": {"vocab": [["a", -1.0]]}}""", "Unigram")]
    public void FromFile_OtherModelType_ThrowsNotSupportedNamingType(string json, string type)
    {
        string path = WriteTemp(json);
        var exception = Assert.Throws<NotSupportedException>(() => BertTokenizer.FromFile(path));
        Assert.Contains(type, exception.Message, StringComparison.Ordinal);
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model": {"type": "WordPiece", "vocab": [], "unk_token": "[UNK]"}}""", "$.model.vocab")]
    [InlineData("""{"model": {"type": "WordPiece", "vocab": {"a": -1}, "unk_token": "[UNK]"}}""", "$.model.vocab[\"a\"]")]
    [InlineData("""{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}}}""", "$.model.unk_token")]
    [InlineData("""{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}, "unk_token": "[UNK]"}, "normalizer": {"type": "BertNormalizer", "lowercase": "yes"}}""", "$.normalizer.lowercase")]
    [InlineData("""{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}, "unk_token": "[UNK]"}, "added_tokens": [{"id": 0}]}""", "$.added_tokens[0].content")]
    [InlineData("""{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}, "unk_token": "[UNK]"}, "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "[X]", "type_id": 0}}], "pair": []}}""", "$.post_processor.single[0].SpecialToken.id")]
    [InlineData("""{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}, "unk_token": "[UNK]"}, "truncation": {"max_length": "many"}}""", "$.truncation.max_length")]
    [InlineData("""{"model": """, "line 1")]
    public void FromFile_Malformed_ThrowsNamingFileAndPath(string json, string path)
    {
        string file = WriteTemp(json);
        var exception = Assert.Throws<InvalidDataException>(() => BertTokenizer.FromFile(file));
        Assert.Contains(file, exception.Message, StringComparison.Ordinal);
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFile_UnsupportedNormalizer_ThrowsNotSupportedNamingType()
    {
        string file = WriteTemp("""{"model": {"type": "WordPiece", "vocab": {"[UNK]": 0}, "unk_token": "[UNK]"}, "normalizer": {"type": "NFKC"}}""");
        var exception = Assert.Throws<NotSupportedException>(() => BertTokenizer.FromFile(file));
        Assert.Contains("NFKC", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromDirectory_Empty_ThrowsFileNotFound()
    {
        string directory = Directory.CreateTempSubdirectory("no-tokenizer-").FullName;
        try
        {
            Assert.Throws<FileNotFoundException>(() => BertTokenizer.FromDirectory(directory));
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public void FromFile_FixedPaddingInFile_DoesNotForcePadding()
    {
        string file = WriteTemp("""
            {"model": {"type": "WordPiece", "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "a": 4}, "unk_token": "[UNK]"},
             "padding": {"strategy": {"Fixed": 16}, "direction": "Right", "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"},
             "truncation": {"direction": "Right", "max_length": 2, "strategy": "LongestFirst", "stride": 0},
             "pre_tokenizer": {"type": "WhitespaceSplit"},
             "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}}
            """);
        TokenizedText encoding = BertTokenizer.FromFile(file).Encode("a a a");
        Assert.Equal([2, 4, 4, 4, 3], encoding.Ids);
    }

    [Fact]
    public void FromFile_WordLongerThanMaxChars_IsOneUnknown()
    {
        string file = WriteTemp("""
            {"model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1, "##a": 2}, "unk_token": "[UNK]", "max_input_chars_per_word": 3},
             "pre_tokenizer": {"type": "WhitespaceSplit"}}
            """);
        BertTokenizer tokenizer = BertTokenizer.FromFile(file);
        Assert.Equal([1, 2, 2], tokenizer.Encode("aaa").Ids);
        Assert.Equal([0], tokenizer.Encode("aaaa").Ids);
    }

    [Fact]
    public void FromFile_BertPreTokenizerWordLengths_UnknownOnlyPastMaxChars()
    {
        // Words of plain ASCII take the tokenizer's direct path, with a 256-unit buffer: check both sides of the
        // limit and a word longer than that buffer. WordPiece splits "aaa" into a ##a ##a; past the limit a word is one [UNK].
        string file = WriteTemp("""
            {"normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
             "pre_tokenizer": {"type": "BertPreTokenizer"},
             "model": {"type": "WordPiece", "vocab": {"[UNK]": 0, "a": 1, "##a": 2, ".": 3}, "unk_token": "[UNK]", "max_input_chars_per_word": 300}}
            """);
        BertTokenizer tokenizer = BertTokenizer.FromFile(file);

        TokenizedText atLimit = tokenizer.Encode(new string('A', 300) + ".");
        Assert.Equal([1, .. Enumerable.Repeat(2, 299), 3], atLimit.Ids);
        Assert.Equal(new TokenOffset(299, 300), atLimit.Offsets[299]);
        Assert.Equal(new TokenOffset(300, 301), atLimit.Offsets[300]);
        Assert.Equal([.. Enumerable.Repeat(0, 300), 1], atLimit.WordIds);

        TokenizedText pastLimit = tokenizer.Encode(" " + new string('a', 301) + ".");
        Assert.Equal([0, 3], pastLimit.Ids);
        Assert.Equal([new TokenOffset(1, 302), new TokenOffset(302, 303)], pastLimit.Offsets);
    }

    [Fact]
    public void EncodeIntoCallerBuffers_WarmThread_AllocatesNothing()
    {
        // The span overloads reuse the thread's scratch buffers; once warm they allocate nothing, whatever the script.
        BertTokenizer tokenizer = Uncased.Value;
        string[] texts =
        [
            "The quick brown fox, unaffably, jumped over 13 lazy dogs.",
            "Crème brûlée à la carte — ΣΊΣΥΦΟΣ and 東京 and \ud83d\udc4d\ud83c\udffd",
            "[CLS] literal special tokens [SEP] and [MASK]",
            new string('x', 150),
        ];
        var ids = new int[512];
        var offsets = new TokenOffset[512];
        foreach (string text in texts)
        {
            tokenizer.Encode(text, ids, offsets, out _);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int total = 0;
        for (int round = 0; round < 10; round++)
        {
            foreach (string text in texts)
            {
                total += tokenizer.Encode(text, ids, offsets, out _);
                total += tokenizer.Encode(text, ids);
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(total > 0);
    }

    private static string Repeat(string word, int count) => string.Join(' ', Enumerable.Repeat(word, count));

    private static string WriteTemp(string json)
    {
        string path = Path.Combine(Path.GetTempPath(), $"tokenizer-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
