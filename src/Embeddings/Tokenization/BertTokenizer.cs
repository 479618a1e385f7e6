using System.Buffers;
using System.Runtime.CompilerServices;

namespace Embeddings.Tokenization;

/// <summary>A WordPiece (BERT-family) tokenizer that reproduces Hugging Face tokenization id for id, independent of ICU and culture.</summary>
/// <remarks>
/// <para>
/// Instances are immutable and thread-safe; each thread reuses its own scratch buffers, so the span overloads do not
/// allocate once warm. Offsets are UTF-16 code unit spans of the original string.
/// </para>
/// <para>
/// The reference is transformers.js 4.3.1. Where it differs from the Rust tokenizers behind Python, this class follows
/// it: CJK ideographs outside the Basic Multilingual Plane are not isolated, unassigned code points survive text
/// cleaning, the <c>StripAccents</c> normalizer removes every mark (M*), the <c>Punctuation</c> pre-tokenizer groups
/// runs of punctuation, <c>Whitespace</c> uses ASCII word characters, and <c>single_word</c> on added tokens is ignored.
/// BERT checkpoints use none of these except the first two, and real text rarely meets them.
/// </para>
/// </remarks>
public sealed class BertTokenizer
{
    private const int AsciiWordCapacity = 256;

    [ThreadStatic]
    private static Scratch? _threadScratch;

    private readonly TextNormalizer _normalizer;
    private readonly WordSplitter _splitter;
    private readonly WordPieceModel _model;
    private readonly AddedTokenMatcher _rawTokens;
    private readonly AddedTokenMatcher _normalizedTokens;
    private readonly PostProcessorTemplate _template;
    private readonly string[] _vocabulary;
    private readonly AsciiKind[]? _asciiKinds;
    private readonly char[] _asciiUnits;
    private readonly int[] _asciiWordIds = new int[128];

    private BertTokenizer(TokenizerDefinition definition, PostProcessorTemplate? template)
    {
        Dictionary<string, int> vocabulary = definition.Vocabulary;
        if (!vocabulary.TryGetValue(definition.UnknownToken, out int unknownId))
        {
            throw new InvalidDataException($"{definition.Source}: the unknown token '{definition.UnknownToken}' is not in the vocabulary.");
        }

        int size = 0;
        foreach (int id in vocabulary.Values)
        {
            size = Math.Max(size, id + 1);
        }

        _vocabulary = new string[size];
        Array.Fill(_vocabulary, definition.UnknownToken);
        foreach ((string token, int id) in vocabulary)
        {
            _vocabulary[id] = token;
        }

        _normalizer = new TextNormalizer(definition.Normalization);
        _splitter = new WordSplitter(definition.PreTokenizers);
        _model = new WordPieceModel(vocabulary, unknownId, definition.ContinuingSubwordPrefix, definition.MaxInputCharsPerWord);

        var raw = new List<(string, AddedToken)>();
        var normalized = new List<(string, AddedToken)>();
        foreach (AddedToken token in definition.AddedTokens)
        {
            if (token.Normalized && !_normalizer.IsIdentity)
            {
                normalized.Add((_normalizer.Normalize(token.Content), token));
            }
            else
            {
                raw.Add((token.Content, token));
            }
        }

        _rawTokens = new AddedTokenMatcher(raw);
        _normalizedTokens = new AddedTokenMatcher(normalized);
        _asciiUnits = _normalizer.AsciiMap.ToArray();
        if (_splitter.IsBert && _normalizedTokens.IsEmpty)
        {
            _asciiKinds = ClassifyAscii(_asciiUnits, _model, _asciiWordIds);
        }

        UnknownId = unknownId;
        ClassifierId = vocabulary.TryGetValue(definition.ClassifierToken, out int cls) ? cls : -1;
        SeparatorId = vocabulary.TryGetValue(definition.SeparatorToken, out int sep) ? sep : -1;
        PaddingId = definition.PadId ?? (vocabulary.TryGetValue(definition.PaddingToken, out int pad) ? pad : -1);
        MaxLength = definition.ModelMaxLength;
        if (template is null)
        {
            if (ClassifierId < 0 || SeparatorId < 0)
            {
                throw new InvalidDataException(
                    $"{definition.Source}: the special tokens '{definition.ClassifierToken}' and '{definition.SeparatorToken}' must be in the vocabulary.");
            }

            template = PostProcessorTemplate.Bert(ClassifierId, SeparatorId);
        }

        _template = template;
    }

    /// <summary>Gets the model's maximum sequence length (<c>model_max_length</c>), or <see langword="null"/> when the files do not say.</summary>
    public int? MaxLength { get; }

    /// <summary>Gets the number of token ids (the highest id plus one), added tokens included.</summary>
    public int VocabularySize => _vocabulary.Length;

    /// <summary>Gets the id of the unknown token.</summary>
    public int UnknownId { get; }

    /// <summary>Gets the id of the classifier token (<c>[CLS]</c>), or -1 when the vocabulary has none.</summary>
    public int ClassifierId { get; }

    /// <summary>Gets the id of the separator token (<c>[SEP]</c>), or -1 when the vocabulary has none.</summary>
    public int SeparatorId { get; }

    /// <summary>Gets the id of the padding token (<c>[PAD]</c>), or -1 when the vocabulary has none.</summary>
    public int PaddingId { get; }

    /// <summary>Gets how many special tokens a single text receives.</summary>
    public int SpecialTokenCount => _template.AddedSingle;

    /// <summary>Loads the tokenizer of a model folder: <c>tokenizer.json</c> when present, else <c>vocab.txt</c>, with <c>tokenizer_config.json</c>.</summary>
    /// <param name="directory">The model folder.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="directory"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The folder has neither <c>tokenizer.json</c> nor <c>vocab.txt</c>, or the path names a file.</exception>
    /// <exception cref="InvalidDataException">A file is malformed (the message names the file and the JSON path) or larger than 64 MiB, or is a symbolic link leading outside the folder.</exception>
    /// <exception cref="NotSupportedException">The file describes a model or component other than the BERT family's.</exception>
    public static BertTokenizer FromDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string json = Path.Combine(directory, "tokenizer.json");
        if (File.Exists(directory))
        {
            throw new FileNotFoundException($"{directory} is a file; give the model folder that holds tokenizer.json or vocab.txt.", json);
        }

        // Model folders are data: a tokenizer file that is a link leading outside the folder is refused.
        Text.ModelFolder? folder = Directory.Exists(directory) ? Text.ModelFolder.Open(directory) : null;
        json = folder?.Resolve("tokenizer.json", "tokenizer.json") ?? json;
        string config = folder?.Resolve("tokenizer_config.json", "tokenizer_config.json") ?? Path.Combine(directory, "tokenizer_config.json");
        if (File.Exists(json))
        {
            return FromFile(json, File.Exists(config) ? config : null);
        }

        string vocab = folder?.Resolve("vocab.txt", "vocab.txt") ?? Path.Combine(directory, "vocab.txt");
        if (File.Exists(vocab))
        {
            return FromVocab(vocab, File.Exists(config) ? TokenizerFileReader.ReadOptions(config) : new BertTokenizerOptions());
        }

        throw new FileNotFoundException($"{directory}: no tokenizer.json or vocab.txt in the folder.", json);
    }

    /// <summary>Loads a Hugging Face <c>tokenizer.json</c>, optionally with its <c>tokenizer_config.json</c>.</summary>
    /// <param name="tokenizerJson">The path of <c>tokenizer.json</c>.</param>
    /// <param name="tokenizerConfig">The path of <c>tokenizer_config.json</c>, or <see langword="null"/>.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tokenizerJson"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is malformed (the message names the file and the JSON path) or larger than 64 MiB.</exception>
    /// <exception cref="NotSupportedException">The model type is not WordPiece, or a component is not supported; the message names it.</exception>
    public static BertTokenizer FromFile(string tokenizerJson, string? tokenizerConfig = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJson);
        TokenizerDefinition definition = TokenizerFileReader.ReadTokenizerJson(tokenizerJson);
        if (tokenizerConfig is not null)
        {
            TokenizerFileReader.ApplyConfig(tokenizerConfig, definition);
        }

        return new BertTokenizer(definition, definition.Template);
    }

    /// <summary>Builds a tokenizer from a <c>vocab.txt</c> the way Hugging Face converts a slow BERT tokenizer.</summary>
    /// <param name="vocabularyFile">The path of <c>vocab.txt</c>: one token per line, the line number being its id.</param>
    /// <param name="options">The settings of <c>tokenizer_config.json</c>, or <see langword="null"/> for the uncased defaults.</param>
    /// <returns>The tokenizer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vocabularyFile"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, larger than 64 MiB, or lacks the unknown, classifier or separator token.</exception>
    public static BertTokenizer FromVocab(string vocabularyFile, BertTokenizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(vocabularyFile);
        options ??= new BertTokenizerOptions();
        Dictionary<string, int> vocabulary = TokenizerFileReader.ReadVocabulary(vocabularyFile);
        var added = new List<AddedToken>();
        foreach (string special in new[] { options.PaddingToken, options.UnknownToken, options.ClassifierToken, options.SeparatorToken, options.MaskToken })
        {
            if (vocabulary.TryGetValue(special, out int id))
            {
                added.Add(new AddedToken(special, id, Special: true, Normalized: false, LeftStrip: false, RightStrip: false));
            }
        }

        added.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        var definition = new TokenizerDefinition
        {
            Source = vocabularyFile,
            Normalization = TokenizerDefinition.BertNormalizerSteps(cleanText: true, options.TokenizeChineseChars, options.StripAccents, options.LowerCase),
            PreTokenizers = [PreTokenizerKind.Bert],
            Vocabulary = vocabulary,
            UnknownToken = options.UnknownToken,
            AddedTokens = added,
            ModelMaxLength = options.ModelMaxLength,
            ClassifierToken = options.ClassifierToken,
            SeparatorToken = options.SeparatorToken,
            PaddingToken = options.PaddingToken,
        };
        return new BertTokenizer(definition, template: null);
    }

    /// <summary>Encodes one text with special tokens, optionally truncated.</summary>
    /// <param name="text">The text.</param>
    /// <param name="truncation">How to truncate, or <see langword="null"/> to keep every token.</param>
    /// <returns>The encoding; with a stride or a long text, <see cref="TokenizedText.Overflowing"/> holds the further windows.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The truncation length cannot hold the special tokens, or the stride is not below the window.</exception>
    /// <exception cref="ArgumentException">The strategy is <see cref="TruncationStrategy.OnlySecond"/> for a single text that needs truncation.</exception>
    public TokenizedText Encode(string text, TruncationOptions? truncation = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Encode(text, truncation, padTo: 0, PaddingSide.Right);
    }

    /// <summary>Encodes a text pair with special tokens and the post-processor's token types (0, then 1 for the second text in BERT), optionally truncated.</summary>
    /// <param name="first">The first text.</param>
    /// <param name="second">The second text.</param>
    /// <param name="truncation">How to truncate, or <see langword="null"/> to keep every token.</param>
    /// <returns>The encoding; when truncated, <see cref="TokenizedText.Overflowing"/> holds the further window combinations as Hugging Face orders them.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="first"/> or <paramref name="second"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The truncation length cannot hold the special tokens.</exception>
    /// <exception cref="ArgumentException">The strategy asks to shorten a sequence that is too short to absorb the excess, or the stride is not below a truncated sequence's kept length.</exception>
    public TokenizedText EncodePair(string first, string second, TruncationOptions? truncation = null)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        ValidateTruncation(truncation, _template.AddedPair);
        using ScratchLease lease = Scratch.Rent(out Scratch scratch);
        EncodeContent(first, scratch, scratch.First, int.MaxValue);
        EncodeContent(second, scratch, scratch.Second, int.MaxValue);
        TokenBuffer a = scratch.First;
        TokenBuffer b = scratch.Second;
        int n1 = a.Count;
        int n2 = b.Count;
        bool truncated = false;
        if (truncation is not null && n1 + n2 > truncation.MaxLength - _template.AddedPair)
        {
            (n1, n2) = PairLengths(n1, n2, truncation.MaxLength - _template.AddedPair, truncation.Strategy);
            truncated = true;
        }

        if (!truncated)
        {
            return Assemble(a, (0, a.Count), b, (0, b.Count), false, [], 0, PaddingSide.Right);
        }

        // Hugging Face truncates each sequence on its own (Encoding.truncate: windows only where it is cut), then merging
        // the template's pieces pairs every first-sequence window with every second-sequence window, in this order.
        List<(int Start, int End)> firstWindows = PairWindows(a.Count, n1, truncation!, "first");
        List<(int Start, int End)> secondWindows = PairWindows(b.Count, n2, truncation!, "second");
        var overflowing = new List<TokenizedText>((firstWindows.Count * secondWindows.Count) - 1);
        for (int i = 1; i < firstWindows.Count; i++)
        {
            foreach ((int Start, int End) window in secondWindows)
            {
                overflowing.Add(Assemble(a, firstWindows[i], b, window, true, [], 0, PaddingSide.Right));
            }
        }

        for (int j = 1; j < secondWindows.Count; j++)
        {
            overflowing.Add(Assemble(a, firstWindows[0], b, secondWindows[j], true, [], 0, PaddingSide.Right));
        }

        return Assemble(a, firstWindows[0], b, secondWindows[0], true, [.. overflowing], 0, PaddingSide.Right);
    }

    /// <summary>The windows of one sequence of a truncated pair: the whole sequence when it keeps every token.</summary>
    private static List<(int Start, int End)> PairWindows(int length, int kept, TruncationOptions truncation, string which)
    {
        if (kept >= length)
        {
            return [(0, length)];
        }

        if (kept > 0 && truncation.Stride >= kept)
        {
            throw new ArgumentException(
                $"The stride ({truncation.Stride}) must be smaller than the {kept} tokens the {which} sequence keeps after truncation to {truncation.MaxLength}.",
                nameof(truncation));
        }

        return Windows(length, kept, truncation.Stride, truncation.Side);
    }

    /// <summary>Encodes many texts, optionally truncated and padded to a common length.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="truncation">How to truncate each text, or <see langword="null"/> to keep every token.</param>
    /// <param name="padding">How to pad, or <see langword="null"/> to leave every encoding its own length.</param>
    /// <returns>One encoding per text, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length option is out of range.</exception>
    /// <exception cref="InvalidOperationException">Padding was asked for but the vocabulary has no padding token.</exception>
    public IReadOnlyList<TokenizedText> EncodeBatch(IReadOnlyList<string> texts, TruncationOptions? truncation = null, PaddingOptions? padding = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ValidatePadding(padding);
        var results = new TokenizedText[texts.Count];
        int longest = 0;
        for (int i = 0; i < texts.Count; i++)
        {
            string text = texts[i] ?? throw new ArgumentNullException(nameof(texts), $"texts[{i}] is null.");
            results[i] = Encode(text, truncation, padTo: 0, PaddingSide.Right);
            longest = Math.Max(longest, results[i].Count);
        }

        if (padding is null)
        {
            return results;
        }

        int target = padding.Length ?? longest;
        if (padding.PadToMultipleOf is int multiple && target % multiple != 0)
        {
            target += multiple - (target % multiple);
        }

        for (int i = 0; i < results.Length; i++)
        {
            results[i] = Pad(results[i], target, padding.Side);
        }

        return results;
    }

    /// <summary>Encodes one text with special tokens into <paramref name="ids"/>, cutting it to fit (right truncation).</summary>
    /// <param name="text">The text.</param>
    /// <param name="ids">Receives the ids; its length is the maximum length.</param>
    /// <returns>The number of ids written.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ids"/> cannot hold the special tokens.</exception>
    public int Encode(ReadOnlySpan<char> text, Span<int> ids) => Encode(text, ids, [], out _);

    /// <summary>Encodes one text with special tokens into caller buffers, cutting it to fit (right truncation); allocation-free once warm.</summary>
    /// <param name="text">The text.</param>
    /// <param name="ids">Receives the ids; its length is the maximum length.</param>
    /// <param name="offsets">Receives the offsets, or is empty to skip them; otherwise at least as long as <paramref name="ids"/>.</param>
    /// <param name="isTruncated">Set to whether tokens were cut off.</param>
    /// <returns>The number of ids written.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ids"/> cannot hold the special tokens, or <paramref name="offsets"/> is shorter than it.</exception>
    public int Encode(ReadOnlySpan<char> text, Span<int> ids, Span<TokenOffset> offsets, out bool isTruncated)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ids.Length, _template.AddedSingle, nameof(ids));
        if (!offsets.IsEmpty)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(offsets.Length, ids.Length, nameof(offsets));
        }

        int capacity = ids.Length - _template.AddedSingle;
        using ScratchLease lease = Scratch.Rent(out Scratch scratch);
        TokenBuffer content = scratch.First;
        EncodeContent(text, scratch, content, capacity + 1);
        isTruncated = content.Count > capacity;
        int kept = Math.Min(content.Count, capacity);
        int written = 0;
        foreach (TemplatePiece piece in _template.Single)
        {
            if (piece.SpecialIds is { } special)
            {
                foreach (int id in special)
                {
                    if (!offsets.IsEmpty)
                    {
                        offsets[written] = default;
                    }

                    ids[written++] = id;
                }
            }
            else
            {
                content.Ids[..kept].CopyTo(ids[written..]);
                if (!offsets.IsEmpty)
                {
                    content.Offsets[..kept].CopyTo(offsets[written..]);
                }

                written += kept;
            }
        }

        return written;
    }

    /// <summary>Encodes a batch into model inputs of shape [batch, length], right-padded to the longest row; allocation-free once warm.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="maxLength">The maximum row length, special tokens included; longer texts are cut (right truncation).</param>
    /// <param name="inputIds">Receives the ids; at least <c>texts.Count * maxLength</c> long.</param>
    /// <param name="attentionMask">Receives the mask; at least <c>texts.Count * maxLength</c> long.</param>
    /// <param name="tokenTypeIds">Receives the token types; at least <c>texts.Count * maxLength</c> long.</param>
    /// <param name="truncated">Receives, per text, whether it was cut; at least <c>texts.Count</c> long.</param>
    /// <returns>The row length: the longest encoding in the batch; the buffers hold <c>texts.Count</c> rows of that length.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> cannot hold the special tokens, or a buffer is too short.</exception>
    /// <exception cref="InvalidOperationException">The vocabulary has no padding token.</exception>
    public int EncodeBatch(IReadOnlyList<string> texts, int maxLength, Span<long> inputIds, Span<long> attentionMask, Span<long> tokenTypeIds, Span<bool> truncated)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, _template.AddedSingle);
        int size = checked(texts.Count * maxLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputIds.Length, size, nameof(inputIds));
        ArgumentOutOfRangeException.ThrowIfLessThan(attentionMask.Length, size, nameof(attentionMask));
        ArgumentOutOfRangeException.ThrowIfLessThan(tokenTypeIds.Length, size, nameof(tokenTypeIds));
        ArgumentOutOfRangeException.ThrowIfLessThan(truncated.Length, texts.Count, nameof(truncated));
        ValidatePadding(new PaddingOptions());

        int capacity = maxLength - _template.AddedSingle;
        using ScratchLease lease = Scratch.Rent(out Scratch scratch);
        int[] lengths = ArrayPool<int>.Shared.Rent(Math.Max(1, texts.Count));
        try
        {
            int longest = 0;
            for (int row = 0; row < texts.Count; row++)
            {
                string text = texts[row] ?? throw new ArgumentNullException(nameof(texts), $"texts[{row}] is null.");
                TokenBuffer content = scratch.First;
                EncodeContent(text, scratch, content, capacity + 1);
                truncated[row] = content.Count > capacity;
                int kept = Math.Min(content.Count, capacity);
                Span<long> ids = inputIds.Slice(row * maxLength, maxLength);
                Span<long> types = tokenTypeIds.Slice(row * maxLength, maxLength);
                int written = 0;
                foreach (TemplatePiece piece in _template.Single)
                {
                    if (piece.SpecialIds is { } special)
                    {
                        foreach (int id in special)
                        {
                            types[written] = piece.TypeId;
                            ids[written++] = id;
                        }
                    }
                    else
                    {
                        ReadOnlySpan<int> source = content.Ids[..kept];
                        for (int k = 0; k < source.Length; k++)
                        {
                            types[written] = piece.TypeId;
                            ids[written++] = source[k];
                        }
                    }
                }

                lengths[row] = written;
                longest = Math.Max(longest, written);
            }

            for (int row = 0; row < texts.Count; row++)
            {
                int length = lengths[row];
                inputIds.Slice(row * maxLength, length).CopyTo(inputIds.Slice(row * longest, length));
                tokenTypeIds.Slice(row * maxLength, length).CopyTo(tokenTypeIds.Slice(row * longest, length));
                inputIds.Slice((row * longest) + length, longest - length).Fill(PaddingId);
                tokenTypeIds.Slice((row * longest) + length, longest - length).Clear();
                attentionMask.Slice(row * longest, length).Fill(1);
                attentionMask.Slice((row * longest) + length, longest - length).Clear();
            }

            return longest;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengths);
        }
    }

    /// <summary>Gets the vocabulary string of a token id.</summary>
    /// <param name="id">The token id.</param>
    /// <returns>The token string.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="id"/> is not a token id.</exception>
    public string GetToken(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _vocabulary.Length);
        return _vocabulary[id];
    }

    /// <summary>The lengths Hugging Face's truncate_encodings keeps for a pair.</summary>
    private static (int First, int Second) PairLengths(int n1, int n2, int maxLength, TruncationStrategy strategy)
    {
        int toRemove = n1 + n2 - maxLength;
        switch (strategy)
        {
            case TruncationStrategy.OnlyFirst:
                return n1 > toRemove
                    ? (n1 - toRemove, n2)
                    : throw new ArgumentException($"Truncation with OnlyFirst must remove {toRemove} tokens but the first sequence has only {n1}.", "truncation");
            case TruncationStrategy.OnlySecond:
                return n2 > toRemove
                    ? (n1, n2 - toRemove)
                    : throw new ArgumentException($"Truncation with OnlySecond must remove {toRemove} tokens but the second sequence has only {n2}.", "truncation");
            default:
                bool swap = n1 > n2;
                int shorter = swap ? n2 : n1;
                int longer;
                if (shorter > maxLength)
                {
                    longer = shorter;
                }
                else
                {
                    longer = Math.Max(shorter, maxLength - shorter);
                }

                if (shorter + longer > maxLength)
                {
                    shorter = maxLength / 2;
                    longer = shorter + (maxLength % 2);
                }

                shorter = Math.Min(shorter, swap ? n2 : n1);
                longer = Math.Min(longer, swap ? n1 : n2);
                return swap ? (longer, shorter) : (shorter, longer);
        }
    }

    /// <summary>The windows Hugging Face's Encoding.truncate produces: the first is kept, the rest overflow.</summary>
    private static List<(int Start, int End)> Windows(int length, int maxLength, int stride, TruncationSide side)
    {
        var windows = new List<(int Start, int End)>();
        if (maxLength == 0)
        {
            windows.Add((0, 0));
            windows.Add((0, length));
            return windows;
        }

        int step = maxLength - stride;
        if (side == TruncationSide.Right)
        {
            for (int start = 0; start < length; start += step)
            {
                int stop = Math.Min(start + maxLength, length);
                windows.Add((start, stop));
                if (stop == length)
                {
                    break;
                }
            }
        }
        else
        {
            for (int last = length - 1; last >= 0; last -= step)
            {
                int stop = last + 1;
                int start = stop < maxLength ? 0 : stop - maxLength;
                windows.Add((start, stop));
                if (start == 0)
                {
                    break;
                }
            }
        }

        return windows;
    }

    private static void ValidateTruncation(TruncationOptions? truncation, int added)
    {
        if (truncation is null)
        {
            return;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(truncation.MaxLength, added, nameof(truncation));
        ArgumentOutOfRangeException.ThrowIfNegative(truncation.Stride, nameof(truncation));
        if (truncation.Stride > 0)
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(truncation.Stride, truncation.MaxLength - added, nameof(truncation));
        }
    }

    private void ValidatePadding(PaddingOptions? padding)
    {
        if (padding is null)
        {
            return;
        }

        if (padding.Length is int length)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(length, nameof(padding));
        }

        if (padding.PadToMultipleOf is int multiple)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(multiple, 1, nameof(padding));
        }

        if (PaddingId < 0)
        {
            throw new InvalidOperationException("Padding needs a padding token but the vocabulary has none.");
        }
    }

    private TokenizedText Encode(string text, TruncationOptions? truncation, int padTo, PaddingSide side)
    {
        ValidateTruncation(truncation, _template.AddedSingle);
        using ScratchLease lease = Scratch.Rent(out Scratch scratch);
        TokenBuffer content = scratch.First;
        EncodeContent(text, scratch, content, int.MaxValue);
        int max = truncation is null ? int.MaxValue : truncation.MaxLength - _template.AddedSingle;
        if (content.Count <= max)
        {
            return Assemble(content, (0, content.Count), null, default, false, [], padTo, side);
        }

        if (truncation!.Strategy == TruncationStrategy.OnlySecond)
        {
            throw new ArgumentException("Truncation with OnlySecond needs a second sequence.", nameof(truncation));
        }

        List<(int Start, int End)> windows = Windows(content.Count, max, truncation.Stride, truncation.Side);
        var overflowing = new TokenizedText[windows.Count - 1];
        for (int k = 1; k < windows.Count; k++)
        {
            overflowing[k - 1] = Assemble(content, windows[k], null, default, true, [], padTo, side);
        }

        return Assemble(content, windows[0], null, default, true, overflowing, padTo, side);
    }

    private TokenizedText Assemble(
        TokenBuffer a,
        (int Start, int End) rangeA,
        TokenBuffer? b,
        (int Start, int End) rangeB,
        bool truncated,
        TokenizedText[] overflowing,
        int padTo,
        PaddingSide side)
    {
        TemplatePiece[] pieces = b is null ? _template.Single : _template.Pair;
        int added = b is null ? _template.AddedSingle : _template.AddedPair;
        int length = added + (rangeA.End - rangeA.Start) + (b is null ? 0 : rangeB.End - rangeB.Start);
        int total = Math.Max(length, padTo);

        // Every position below is written exactly once, so the arrays need no zeroing.
        int[] ids = GC.AllocateUninitializedArray<int>(total);
        int[] types = GC.AllocateUninitializedArray<int>(total);
        int[] mask = GC.AllocateUninitializedArray<int>(total);
        TokenOffset[] offsets = GC.AllocateUninitializedArray<TokenOffset>(total);
        int[] words = GC.AllocateUninitializedArray<int>(total);
        int[] sequences = GC.AllocateUninitializedArray<int>(total);
        int position = side == PaddingSide.Left ? total - length : 0;
        Range padding = side == PaddingSide.Left ? ..position : length..;
        ids.AsSpan(padding).Fill(PaddingId);
        types.AsSpan(padding).Clear();
        mask.AsSpan(padding).Clear();
        offsets.AsSpan(padding).Clear();
        words.AsSpan(padding).Fill(-1);
        sequences.AsSpan(padding).Fill(-1);
        foreach (TemplatePiece piece in pieces)
        {
            int count;
            if (piece.SpecialIds is { } special)
            {
                count = special.Length;
                special.CopyTo(ids, position);
                offsets.AsSpan(position, count).Clear();
                words.AsSpan(position, count).Fill(-1);
                sequences.AsSpan(position, count).Fill(-1);
            }
            else
            {
                TokenBuffer source = piece.Sequence == 0 ? a : b!;
                (int start, int end) = piece.Sequence == 0 ? rangeA : rangeB;
                count = end - start;
                source.Ids[start..end].CopyTo(ids.AsSpan(position));
                source.Offsets[start..end].CopyTo(offsets.AsSpan(position));
                source.Words[start..end].CopyTo(words.AsSpan(position));
                sequences.AsSpan(position, count).Fill(piece.Sequence);
            }

            types.AsSpan(position, count).Fill(piece.TypeId);
            mask.AsSpan(position, count).Fill(1);
            position += count;
        }

        return new TokenizedText(ids, types, mask, offsets, words, sequences, truncated, overflowing, _vocabulary);
    }

    private TokenizedText Pad(TokenizedText encoding, int target, PaddingSide side)
    {
        int length = encoding.Count;
        if (length >= target)
        {
            return encoding;
        }

        int shift = side == PaddingSide.Left ? target - length : 0;
        var ids = new int[target];
        var types = new int[target];
        var mask = new int[target];
        var offsets = new TokenOffset[target];
        var words = new int[target];
        var sequences = new int[target];
        Array.Fill(ids, PaddingId);
        Array.Fill(words, -1);
        Array.Fill(sequences, -1);
        for (int k = 0; k < length; k++)
        {
            ids[shift + k] = encoding.Ids[k];
            types[shift + k] = encoding.TypeIds[k];
            mask[shift + k] = encoding.AttentionMask[k];
            offsets[shift + k] = encoding.Offsets[k];
            words[shift + k] = encoding.WordIds[k];
            sequences[shift + k] = encoding.SequenceIds[k];
        }

        var overflowing = new TokenizedText[encoding.Overflowing.Count];
        for (int k = 0; k < overflowing.Length; k++)
        {
            overflowing[k] = Pad(encoding.Overflowing[k], target, side);
        }

        return new TokenizedText(ids, types, mask, offsets, words, sequences, encoding.IsTruncated, overflowing, _vocabulary);
    }

    /// <summary>Tokenizes one text without special tokens, stopping once <paramref name="limit"/> tokens exist.</summary>
    private void EncodeContent(ReadOnlySpan<char> text, Scratch scratch, TokenBuffer output, int limit)
    {
        output.Count = 0;
        int wordIndex = 0;
        int sectionStart = 0;
        bool trimStart = false;
        while (true)
        {
            AddedToken? token = null;
            int length = 0;
            int match = _rawTokens.IsEmpty ? -1 : _rawTokens.FindNext(text, sectionStart, out token, out length);
            int start = sectionStart;
            int end = match < 0 ? text.Length : match;
            if (trimStart)
            {
                while (start < end && IsWhitespace(text[start]))
                {
                    start++;
                }
            }

            if (token is { LeftStrip: true })
            {
                while (end > start && IsWhitespace(text[end - 1]))
                {
                    end--;
                }
            }

            if (end > start)
            {
                EncodeSection(text, start, end, scratch, output, ref wordIndex, limit);
            }

            if (match < 0 || output.Count >= limit)
            {
                return;
            }

            output.Add(token!.Id, match, match + length, wordIndex++);
            trimStart = token.RightStrip;
            sectionStart = match + length;
        }
    }

    /// <summary>
    /// Sorts ASCII characters by what BertPreTokenizer makes of their normalized form, and records the token of each one-character word.
    /// </summary>
    private static AsciiKind[] ClassifyAscii(char[] units, WordPieceModel model, int[] singleIds)
    {
        var kinds = new AsciiKind[128];
        var tokens = new TokenBuffer();
        for (int c = 0; c < 128; c++)
        {
            char unit = units[c];
            if (unit == TextNormalizer.RemovedAscii || unit >= 128)
            {
                kinds[c] = AsciiKind.Other;
                continue;
            }

            CharacterFlags flags = UnicodeTables.GetFlags(unit);
            kinds[c] = (flags & CharacterFlags.Whitespace) != 0 ? AsciiKind.Space
                : (flags & CharacterFlags.Punctuation) != 0 ? AsciiKind.Punctuation
                : AsciiKind.Word;
            tokens.Count = 0;
            model.TokenizeAscii([unit], VocabularyTable.Step(0, unit), c, 0, tokens);
            singleIds[c] = tokens.Ids[0];
        }

        return kinds;
    }

    private void EncodeSection(ReadOnlySpan<char> text, int start, int end, Scratch scratch, TokenBuffer output, ref int wordIndex, int limit)
    {
        if (_asciiKinds is not null)
        {
            EncodeSectionAsciiFirst(text[start..end], start, scratch, output, ref wordIndex, limit);
            return;
        }

        NormalizedText normalized = scratch.Normalized;
        normalized.Clear();
        _normalizer.Normalize(text[start..end], start, normalized);
        if (normalized.Length == 0)
        {
            return;
        }

        if (_normalizedTokens.IsEmpty)
        {
            EncodeWords(normalized, 0, normalized.Length, scratch, output, ref wordIndex, limit);
            return;
        }

        ReadOnlySpan<char> chars = normalized.Chars;
        int sectionStart = 0;
        bool trimStart = false;
        while (output.Count < limit)
        {
            int match = _normalizedTokens.FindNext(chars, sectionStart, out AddedToken? token, out int length);
            int from = sectionStart;
            int to = match < 0 ? chars.Length : match;
            if (trimStart)
            {
                while (from < to && IsWhitespace(chars[from]))
                {
                    from++;
                }
            }

            if (token is { LeftStrip: true })
            {
                while (to > from && IsWhitespace(chars[to - 1]))
                {
                    to--;
                }
            }

            if (to > from)
            {
                EncodeWords(normalized, from, to, scratch, output, ref wordIndex, limit);
            }

            if (match < 0)
            {
                return;
            }

            output.Add(token!.Id, normalized.Starts[match], normalized.Ends[match + length - 1], wordIndex++);
            trimStart = token.RightStrip;
            sectionStart = match + length;
        }
    }

    /// <summary>
    /// The BertPreTokenizer path without added tokens to find after normalization: words of plain ASCII go from the text
    /// straight to WordPiece, and only the stretches between ASCII separators that hold anything else are normalized.
    /// </summary>
    /// <remarks>
    /// The result equals normalizing the whole section and splitting it. ASCII characters normalize one to one and
    /// without context, so an ASCII separator (whitespace or punctuation once normalized) separates words after
    /// normalization too, and is a starter that canonical reordering never crosses; Final_Sigma reads its context from
    /// the whole section.
    /// </remarks>
    [SkipLocalsInit]
    private void EncodeSectionAsciiFirst(ReadOnlySpan<char> section, int offset, Scratch scratch, TokenBuffer output, ref int wordIndex, int limit)
    {
        ReadOnlySpan<AsciiKind> kinds = _asciiKinds;
        ReadOnlySpan<char> units = _asciiUnits;
        Span<char> word = stackalloc char[AsciiWordCapacity];
        int i = 0;
        while (i < section.Length)
        {
            char c = section[i];
            AsciiKind kind = c < 128 ? kinds[c] : AsciiKind.Other;
            if (kind == AsciiKind.Space)
            {
                i++;
                continue;
            }

            if (kind == AsciiKind.Punctuation)
            {
                output.Add(_asciiWordIds[c], offset + i, offset + i + 1, wordIndex++);
                i++;
            }
            else
            {
                int wordStart = i;
                uint hash = 0;
                while (kind == AsciiKind.Word)
                {
                    int length = i - wordStart;
                    char unit = units[c];
                    hash = VocabularyTable.Step(hash, unit);
                    if (length < word.Length)
                    {
                        word[length] = unit;
                    }

                    if (++i == section.Length)
                    {
                        break;
                    }

                    c = section[i];
                    kind = c < 128 ? kinds[c] : AsciiKind.Other;
                }

                int wordLength = i - wordStart;
                if (kind != AsciiKind.Other && wordLength > _model.MaxInputCharsPerWord)
                {
                    output.Add(_model.UnknownId, offset + wordStart, offset + i, wordIndex++);
                }
                else if (kind != AsciiKind.Other && wordLength <= word.Length)
                {
                    _model.TokenizeAscii(word[..wordLength], hash, offset + wordStart, wordIndex++, output);
                }
                else
                {
                    while (i < section.Length && (section[i] >= 128 || kinds[section[i]] is AsciiKind.Word or AsciiKind.Other))
                    {
                        i++;
                    }

                    NormalizedText normalized = scratch.Normalized;
                    normalized.Clear();
                    _normalizer.Normalize(section, wordStart, i, offset, normalized);
                    if (normalized.Length > 0)
                    {
                        EncodeWords(normalized, 0, normalized.Length, scratch, output, ref wordIndex, limit);
                    }
                }
            }

            if (output.Count >= limit)
            {
                return;
            }
        }
    }

    private void EncodeWords(NormalizedText normalized, int start, int end, Scratch scratch, TokenBuffer output, ref int wordIndex, int limit)
    {
        ReadOnlySpan<char> chars = normalized.Chars[start..end];
        ReadOnlySpan<int> starts = normalized.Starts[start..end];
        ReadOnlySpan<int> ends = normalized.Ends[start..end];
        RangeList words = scratch.Words;
        if (_splitter.IsBert)
        {
            words.Clear();
            WordSplitter.SplitBert(chars, 0, chars.Length, words);
        }
        else
        {
            _splitter.Split(chars, words, scratch.WordsScratch);
        }

        for (int k = 0; k < words.Count; k++)
        {
            (int from, int to) = words[k];
            _model.Tokenize(chars[from..to], starts[from..to], ends[from..to], wordIndex++, output);
            if (output.Count >= limit)
            {
                return;
            }
        }
    }

    private static bool IsWhitespace(char c) => (UnicodeTables.GetFlags(c) & CharacterFlags.Whitespace) != 0;

    /// <summary>What BertPreTokenizer makes of an ASCII character once normalized.</summary>
    private enum AsciiKind : byte
    {
        /// <summary>Removed by the normalizer or not mapped to ASCII: handled by the general path.</summary>
        Other,

        /// <summary>Part of a word.</summary>
        Word,

        /// <summary>Whitespace: separates words.</summary>
        Space,

        /// <summary>Punctuation: a word of its own.</summary>
        Punctuation,
    }

    /// <summary>Marks the end of a call's use of the thread's scratch buffers; disposing it drops them when a huge input grew them.</summary>
    private readonly ref struct ScratchLease
    {
        public void Dispose() => Scratch.TrimCurrentThread();
    }

    /// <summary>Per-thread buffers reused across calls.</summary>
    /// <remarks>
    /// Buffers grown past <see cref="RetainedCapacity"/> elements by one huge text are dropped after the call, so a
    /// thread-pool thread that once tokenized megabytes does not keep hundreds of megabytes alive for its lifetime.
    /// </remarks>
    private sealed class Scratch
    {
        private const int RetainedCapacity = 1 << 17;

        public NormalizedText Normalized { get; } = new();

        public RangeList Words { get; } = new();

        public RangeList WordsScratch { get; } = new();

        public TokenBuffer First { get; } = new();

        public TokenBuffer Second { get; } = new();

        private bool IsLarge =>
            Normalized.Capacity > RetainedCapacity || First.Capacity > RetainedCapacity || Second.Capacity > RetainedCapacity
            || Words.Capacity > RetainedCapacity || WordsScratch.Capacity > RetainedCapacity;

        public static ScratchLease Rent(out Scratch scratch)
        {
            scratch = _threadScratch ??= new Scratch();
            return default;
        }

        public static void TrimCurrentThread()
        {
            if (_threadScratch is { IsLarge: true })
            {
                _threadScratch = null;
            }
        }
    }
}
