namespace Embeddings.Tokenization;

/// <summary>The WordPiece model: greedy longest-match-first splitting of a word into vocabulary pieces.</summary>
/// <remarks>
/// Greedy longest-match-first from each position equals the longest vocabulary prefix of the rest of the word, so two
/// tables (word-initial pieces, and continuation pieces without their prefix) answer each step; their first probe is
/// the whole rest, which for most words of real text is a piece. Immutable and thread-safe; never allocates.
/// </remarks>
internal sealed class WordPieceModel
{
    private readonly VocabularyTable _pieces;
    private readonly VocabularyTable _continuations;

    public WordPieceModel(Dictionary<string, int> vocabulary, int unknownId, string continuingSubwordPrefix, int maxInputCharsPerWord)
    {
        UnknownId = unknownId;
        MaxInputCharsPerWord = maxInputCharsPerWord;
        var continuations = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach ((string token, int id) in vocabulary)
        {
            if (token.StartsWith(continuingSubwordPrefix, StringComparison.Ordinal))
            {
                continuations[token[continuingSubwordPrefix.Length..]] = id;
            }
        }

        _pieces = new VocabularyTable(vocabulary);
        _continuations = new VocabularyTable(continuations);
    }

    /// <summary>Gets the id of the unknown token.</summary>
    public int UnknownId { get; }

    /// <summary>Gets the longest word, in code points, that is split rather than replaced by the unknown token.</summary>
    public int MaxInputCharsPerWord { get; }

    /// <summary>Splits one word into pieces appended to <paramref name="output"/>, or one unknown token when it cannot be split.</summary>
    public void Tokenize(ReadOnlySpan<char> word, ReadOnlySpan<int> starts, ReadOnlySpan<int> ends, int wordIndex, TokenBuffer output)
    {
        if (word.Length > MaxInputCharsPerWord && CountCodePoints(word) > MaxInputCharsPerWord)
        {
            output.Add(UnknownId, starts[0], ends[^1], wordIndex);
            return;
        }

        Split(word, new MappedUnits(starts, ends), wordIndex, output);
    }

    /// <summary>
    /// Splits one word of ASCII code units, unit <c>k</c> having come from the original span <c>[offset + k, offset + k + 1)</c>;
    /// the result equals <see cref="Tokenize"/> with those offsets.
    /// </summary>
    /// <param name="word">The word.</param>
    /// <param name="hash">The word's <see cref="VocabularyTable.Step"/> hash, which the caller computed while reading it.</param>
    /// <param name="offset">Where the word starts in the original text.</param>
    /// <param name="wordIndex">The word's index.</param>
    /// <param name="output">Receives the pieces.</param>
    public void TokenizeAscii(ReadOnlySpan<char> word, uint hash, int offset, int wordIndex, TokenBuffer output)
    {
        if (word.Length > MaxInputCharsPerWord)
        {
            output.Add(UnknownId, offset, offset + word.Length, wordIndex);
            return;
        }

        int whole = _pieces.Find(word, hash);
        if (whole >= 0)
        {
            output.Add(whole, offset, offset + word.Length, wordIndex);
            return;
        }

        Split(word, new AlignedUnits(offset), wordIndex, output);
    }

    private void Split<TUnits>(ReadOnlySpan<char> word, TUnits units, int wordIndex, TokenBuffer output)
        where TUnits : IUnitOrigins, allows ref struct
    {
        int mark = output.Count;
        int start = 0;
        while (start < word.Length)
        {
            VocabularyTable table = start == 0 ? _pieces : _continuations;
            int length = table.LongestMatch(word[start..], out int id);
            if (length == 0)
            {
                output.Count = mark;
                output.Add(UnknownId, units.StartOf(0), units.EndOf(word.Length - 1), wordIndex);
                return;
            }

            int end = start + length;
            output.Add(id, units.StartOf(start), units.EndOf(end - 1), wordIndex);
            start = end;
        }
    }

    private static int CountCodePoints(ReadOnlySpan<char> word)
    {
        int count = word.Length;
        for (int i = 1; i < word.Length; i++)
        {
            if (char.IsLowSurrogate(word[i]) && char.IsHighSurrogate(word[i - 1]))
            {
                count--;
                i++;
            }
        }

        return count;
    }

    /// <summary>Where each code unit of a word came from in the original text.</summary>
    private interface IUnitOrigins
    {
        int StartOf(int unit);

        int EndOf(int unit);
    }

    /// <summary>Origins read from the normalizer's alignment arrays.</summary>
    private readonly ref struct MappedUnits(ReadOnlySpan<int> starts, ReadOnlySpan<int> ends) : IUnitOrigins
    {
        private readonly ReadOnlySpan<int> _starts = starts;
        private readonly ReadOnlySpan<int> _ends = ends;

        public int StartOf(int unit) => _starts[unit];

        public int EndOf(int unit) => _ends[unit];
    }

    /// <summary>Origins of text the normalizer mapped one unit to one unit, starting at an offset.</summary>
    private readonly struct AlignedUnits(int offset) : IUnitOrigins
    {
        public int StartOf(int unit) => offset + unit;

        public int EndOf(int unit) => offset + unit + 1;
    }
}
