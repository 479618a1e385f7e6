using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Embeddings.Tokenization;

/// <summary>An exact-match table from vocabulary pieces to ids, looked up by span without allocating.</summary>
/// <remarks>
/// Most words of real text are whole vocabulary entries, so one hash probe plus one comparison usually replaces a trie
/// walk of one probe per character. Entries live in one open-addressing array at most half full, keys in one character
/// pool, so a lookup touches about two cache lines. Immutable and thread-safe.
/// </remarks>
internal sealed class VocabularyTable
{
    private readonly Entry[] _entries;
    private readonly char[] _pool;
    private readonly int _shift;
    private readonly int _mask;

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
        }

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

            // Length 0 marks an empty slot: the empty piece is never looked up (words are never empty), so it is left out.
            if (key.Length > 0)
            {
                _entries[slot] = new Entry(hash, id, poolLength, key.Length);
            }

            poolLength += key.Length;
        }
    }

    /// <summary>Finds the id of the piece equal to <paramref name="text"/>, or returns -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ReadOnlySpan<char> text)
    {
        uint hash = Hash(text);
        int slot = (int)(hash >> _shift);
        ref Entry entries = ref MemoryMarshal.GetArrayDataReference(_entries);
        while (true)
        {
            ref Entry entry = ref Unsafe.Add(ref entries, slot);
            if (entry.Length == 0)
            {
                return -1;
            }

            if (entry.Hash == hash && entry.Length == text.Length && text.SequenceEqual(_pool.AsSpan(entry.Start, entry.Length)))
            {
                return entry.Id;
            }

            slot = (slot + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<char> text)
    {
        // Multiplicative mixing: the slot is taken from the top bits, which depend on every character.
        uint hash = (uint)text.Length;
        foreach (char c in text)
        {
            hash = (hash + c) * 0x9E3779B1u;
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
