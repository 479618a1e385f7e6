using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Embeddings.Tokenization;

/// <summary>A hash table of vocabulary pieces that finds the longest piece starting a text, without allocating.</summary>
/// <remarks>
/// The hash is computed incrementally, so one pass over the text yields the hashes of all its prefixes. A small filter
/// indexed by those hashes says, with some false positives and no false negatives, whether a prefix begins some piece
/// (the walk stops at the first that does not, as a trie walk would) and whether it may be a piece; only those
/// candidates are probed in the table, longest first (the greedy WordPiece step), usually once. Unlike a trie walk,
/// whose every step waits on the previous step's cache miss, the filter reads depend only on the text, so the processor
/// overlaps them. Entries live in one open-addressing array at most half full, keys in one character pool.
/// Immutable and thread-safe.
/// </remarks>
internal sealed class VocabularyTable
{
    private const int PrefixHashCapacity = 64;
    private const byte StartsPiece = 1;
    private const byte MayBePiece = 2;

    private readonly Entry[] _entries;
    private readonly char[] _pool;
    private readonly int _shift;
    private readonly int _mask;
    private readonly int _longestKey;
    private readonly byte[] _filter;
    private readonly int _filterShift;

    public VocabularyTable(IReadOnlyCollection<KeyValuePair<string, int>> pieces)
    {
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, pieces.Count * 2));
        _entries = new Entry[capacity];
        _mask = capacity - 1;
        _shift = 32 - BitOperations.Log2((uint)capacity);
        long totalChars = 0;
        foreach (KeyValuePair<string, int> piece in pieces)
        {
            totalChars += piece.Key.Length;
            _longestKey = Math.Max(_longestKey, piece.Key.Length);
        }

        int filterSize = (int)BitOperations.RoundUpToPowerOf2((ulong)Math.Max(1024, totalChars * 2));
        _filter = new byte[filterSize];
        _filterShift = 32 - BitOperations.Log2((uint)filterSize);
        _pool = new char[totalChars];
        int poolLength = 0;
        foreach ((string key, int id) in pieces)
        {
            uint hash = Hash(key);
            int slot = (int)(hash >> _shift);
            while (_entries[slot].Length != 0)
            {
                slot = (slot + 1) & _mask;
            }

            key.CopyTo(_pool.AsSpan(poolLength));
            uint prefix = 0;
            foreach (char c in key)
            {
                prefix = Step(prefix, c);
                _filter[prefix >> _filterShift] |= StartsPiece;
            }

            _filter[prefix >> _filterShift] |= MayBePiece;

            // Length 0 marks an empty slot: the empty piece is never looked up (words are never empty), so it is left out.
            if (key.Length > 0)
            {
                _entries[slot] = new Entry(hash, id, poolLength, key.Length);
            }

            poolLength += key.Length;
        }
    }

    /// <summary>Finds the longest piece that starts <paramref name="text"/> and ends on a code point boundary.</summary>
    /// <returns>The length of the piece in code units, or 0 when no piece matches (then <paramref name="id"/> is -1).</returns>
    [SkipLocalsInit]
    public int LongestMatch(ReadOnlySpan<char> text, out int id)
    {
        int longest = Math.Min(text.Length, _longestKey);
        if (longest > PrefixHashCapacity)
        {
            return LongestMatchSlow(text, longest, out id);
        }

        // Candidate lengths and their hashes, shortest first.
        Span<uint> hashes = stackalloc uint[PrefixHashCapacity];
        Span<int> lengths = stackalloc int[PrefixHashCapacity];
        int candidates = 0;
        byte[] filter = _filter;
        uint hash = 0;
        for (int k = 0; k < longest; k++)
        {
            hash = Step(hash, text[k]);
            byte flags = filter[hash >> _filterShift];
            if ((flags & StartsPiece) == 0)
            {
                break;
            }

            if ((flags & MayBePiece) != 0)
            {
                hashes[candidates] = hash;
                lengths[candidates++] = k + 1;
            }
        }

        while (--candidates >= 0)
        {
            int length = lengths[candidates];
            if (IsInsidePair(text, length))
            {
                continue;
            }

            int found = Find(text[..length], hashes[candidates]);
            if (found >= 0)
            {
                id = found;
                return length;
            }
        }

        id = -1;
        return 0;
    }

    /// <summary>The same search for keys too long to keep every prefix hash on the stack (vocabularies with very long pieces).</summary>
    private int LongestMatchSlow(ReadOnlySpan<char> text, int longest, out int id)
    {
        for (int length = longest; length > 0; length--)
        {
            if (IsInsidePair(text, length))
            {
                continue;
            }

            int found = Find(text[..length], Hash(text[..length]));
            if (found >= 0)
            {
                id = found;
                return length;
            }
        }

        id = -1;
        return 0;
    }

    /// <summary>Whether a piece of <paramref name="length"/> units would end between the halves of a surrogate pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsInsidePair(ReadOnlySpan<char> text, int length)
        => length < text.Length && char.IsLowSurrogate(text[length]) && char.IsHighSurrogate(text[length - 1]);

    /// <summary>Finds the id of the piece equal to <paramref name="key"/>, given its <see cref="Step"/> hash, or returns -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ReadOnlySpan<char> key, uint hash)
    {
        int slot = (int)(hash >> _shift);
        ref Entry entries = ref MemoryMarshal.GetArrayDataReference(_entries);
        while (true)
        {
            ref Entry entry = ref Unsafe.Add(ref entries, slot);
            if (entry.Length == 0)
            {
                return -1;
            }

            if (entry.Hash == hash && entry.Length == key.Length && key.SequenceEqual(_pool.AsSpan(entry.Start, entry.Length)))
            {
                return entry.Id;
            }

            slot = (slot + 1) & _mask;
        }
    }

    /// <summary>Extends the hash of a text by one character (the hash of the empty text is 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Step(uint hash, char c) => (hash + c) * 0x9E3779B1u;

    private static uint Hash(ReadOnlySpan<char> text)
    {
        // Multiplicative mixing: the slot is taken from the top bits, which depend on every character.
        uint hash = 0;
        foreach (char c in text)
        {
            hash = Step(hash, c);
        }

        return hash;
    }

    /// <summary>A slot: the key's hash, its id, and where it sits in the character pool (length 0 = empty slot).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Entry(uint hash, int id, int start, int length)
    {
        public readonly uint Hash = hash;
        public readonly int Id = id;
        public readonly int Start = start;
        public readonly int Length = length;
    }
}
