using System.Runtime.CompilerServices;

namespace Embeddings.Tokenization;

/// <summary>A reusable buffer of token ids with their offsets into the original text and word indexes.</summary>
internal sealed class TokenBuffer
{
    private int[] _ids = new int[128];
    private TokenOffset[] _offsets = new TokenOffset[128];
    private int[] _words = new int[128];

    /// <summary>Gets how many tokens the buffer holds before it grows.</summary>
    public int Capacity => _ids.Length;

    /// <summary>Gets or sets the number of tokens (setting it lower drops the tail).</summary>
    public int Count { get; set; }

    /// <summary>Gets the token ids.</summary>
    public ReadOnlySpan<int> Ids => _ids.AsSpan(0, Count);

    /// <summary>Gets the offsets into the original text.</summary>
    public ReadOnlySpan<TokenOffset> Offsets => _offsets.AsSpan(0, Count);

    /// <summary>Gets the word indexes.</summary>
    public ReadOnlySpan<int> Words => _words.AsSpan(0, Count);

    /// <summary>Appends a token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int id, int start, int end, int word)
    {
        int index = Count;
        int[] ids = _ids;
        if ((uint)index >= (uint)ids.Length)
        {
            Grow();
            ids = _ids;
        }

        ids[index] = id;
        _offsets[index] = new TokenOffset(start, end);
        _words[index] = word;
        Count = index + 1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow()
    {
        int size = _ids.Length * 2;
        Array.Resize(ref _ids, size);
        Array.Resize(ref _offsets, size);
        Array.Resize(ref _words, size);
    }
}
