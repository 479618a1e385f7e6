using System.Runtime.CompilerServices;

namespace Embeddings.Tokenization;

/// <summary>Applies a tokenizer's normalizer to a section of text, keeping every output unit aligned to the original.</summary>
/// <remarks>
/// The steps run code point by code point but give the same result as applying each to the whole string in turn, the
/// way the reference does: the only context-sensitive parts are Final_Sigma (evaluated on the cleaned input) and
/// canonical reordering (done while appending). Immutable and thread-safe.
/// </remarks>
internal sealed class TextNormalizer
{
    private const char Removed = '\uFFFF';
    private const int MaxExpansion = 64;
    private const int CapitalSigma = 0x3A3;

    private readonly NormalizationStep[] _steps;
    private readonly char[] _asciiMap = new char[128];
    private readonly CharacterFlags _slowFlags;
    private readonly bool _padChinese;
    private readonly bool _clean;
    private readonly bool _cleanBeforeLowercase;
    private readonly bool _decomposes;
    private readonly int[] _bmpIndex = new int[0x10000];
    private readonly char[] _bmpPool;

    public TextNormalizer(NormalizationStep[] steps)
    {
        _steps = steps;
        foreach (NormalizationStep step in steps)
        {
            switch (step)
            {
                case NormalizationStep.CleanText:
                    _clean = true;
                    _slowFlags |= CharacterFlags.Control | CharacterFlags.Whitespace;
                    break;
                case NormalizationStep.PadChineseCharacters:
                    _padChinese = true;
                    break;
                case NormalizationStep.Lowercase:
                    _cleanBeforeLowercase = _clean;
                    _slowFlags |= CharacterFlags.NeedsMapping;
                    break;
                case NormalizationStep.DecomposeCanonical:
                    _decomposes = true;
                    _slowFlags |= CharacterFlags.NeedsMapping;
                    break;
                case NormalizationStep.StripNonspacingMarks:
                case NormalizationStep.StripMarks:
                    _slowFlags |= CharacterFlags.Mark;
                    break;
            }
        }

        Span<int> buffer = stackalloc int[MaxExpansion];
        Span<int> scratch = stackalloc int[MaxExpansion];
        for (int c = 0; c < 128; c++)
        {
            int count = Transform(c, [], 0, buffer, scratch);
            _asciiMap[c] = count == 0 ? Removed : (char)buffer[0];
        }

        // Context-free results for every BMP character that is not copied as is (all but capital sigma).
        var pool = new List<char> { '\0' };
        for (int c = 0x80; c < 0x10000; c++)
        {
            if (char.IsSurrogate((char)c) || c == CapitalSigma || IsPlain((char)c))
            {
                continue;
            }

            int count = Transform(c, [], 0, buffer, scratch);
            _bmpIndex[c] = pool.Count;
            pool.Add('\0');
            int start = pool.Count;
            for (int k = 0; k < count; k++)
            {
                if (buffer[k] >= 0x10000)
                {
                    string pair = char.ConvertFromUtf32(buffer[k]);
                    pool.Add(pair[0]);
                    pool.Add(pair[1]);
                }
                else
                {
                    pool.Add((char)buffer[k]);
                }
            }

            pool[start - 1] = (char)(pool.Count - start);
        }

        _bmpPool = [.. pool];
    }

    /// <summary>Gets whether this normalizer changes nothing.</summary>
    public bool IsIdentity => _steps.Length == 0;

    /// <summary>Gets what each ASCII character becomes, or <see cref="RemovedAscii"/> when the normalizer removes it.</summary>
    /// <remarks>ASCII characters map to one unit each regardless of context, so tokenizers may take them from this table.</remarks>
    public ReadOnlySpan<char> AsciiMap => _asciiMap;

    /// <summary>Gets the marker <see cref="AsciiMap"/> holds for a removed character.</summary>
    public static char RemovedAscii => Removed;

    /// <summary>Normalizes <paramref name="text"/> into <paramref name="output"/>; offsets are shifted by <paramref name="offset"/>.</summary>
    public void Normalize(ReadOnlySpan<char> text, int offset, NormalizedText output) => Normalize(text, 0, text.Length, offset, output);

    /// <summary>Normalizes <c>text[from..to]</c> into <paramref name="output"/>, the rest of <paramref name="text"/> being context only.</summary>
    /// <remarks>
    /// The result equals the matching slice of normalizing all of <paramref name="text"/> when <paramref name="from"/>
    /// follows a character of combining class 0 (or is 0): Final_Sigma reads its context from the whole text, and
    /// canonical reordering never crosses a starter. Offsets are indexes into <paramref name="text"/> plus <paramref name="offset"/>.
    /// </remarks>
    [SkipLocalsInit]
    public void Normalize(ReadOnlySpan<char> text, int from, int to, int offset, NormalizedText output)
    {
        int runStart = output.Length;
        Span<int> buffer = stackalloc int[MaxExpansion];
        Span<int> scratch = stackalloc int[MaxExpansion];
        char[] asciiMap = _asciiMap;
        int i = from;
        while (i < to)
        {
            // Runs of ASCII and of code points that need no mapping are copied straight into the buffers.
            output.Reserve(to - i);
            (char[] chars, int[] starts, int[] ends) = output.Raw;
            int length = output.Length;
            char c = text[i];
            while (true)
            {
                if (c < 128)
                {
                    char mapped = asciiMap[c];
                    if (mapped != Removed)
                    {
                        chars[length] = mapped;
                        starts[length] = offset + i;
                        ends[length] = offset + i + 1;
                        length++;
                    }
                }
                else if (char.IsSurrogate(c) || !IsPlain(c))
                {
                    break;
                }
                else
                {
                    chars[length] = c;
                    starts[length] = offset + i;
                    ends[length] = offset + i + 1;
                    length++;
                }

                if (++i == to)
                {
                    break;
                }

                c = text[i];
            }

            if (length != output.Length)
            {
                // Only appended starters end a run of combining marks; removed characters do not.
                runStart = length;
                output.SetLength(length);
            }

            if (i == to)
            {
                break;
            }

            int entry = _bmpIndex[c];
            if (entry != 0)
            {
                int cached = _bmpPool[entry];
                for (int k = 1; k <= cached; k++)
                {
                    char mapped = _bmpPool[entry + k];
                    if (char.IsHighSurrogate(mapped) && k < cached)
                    {
                        runStart = Append(output, char.ConvertToUtf32(mapped, _bmpPool[entry + ++k]), offset + i, offset + i + 1, runStart);
                    }
                    else
                    {
                        runStart = Append(output, mapped, offset + i, offset + i + 1, runStart);
                    }
                }

                i++;
                continue;
            }

            int codePoint = c;
            int width = 1;
            if (char.IsHighSurrogate(c) && i + 1 < to && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, text[i + 1]);
                width = 2;
            }

            CharacterFlags flags = UnicodeTables.GetFlags(codePoint);
            if ((flags & _slowFlags) == 0 && !(_padChinese && IsChineseBmp(codePoint)) && !(_clean && codePoint == 0xFFFD))
            {
                output.Reserve(width);
                output.AppendUnchecked(c, offset + i, offset + i + width);
                if (width == 2)
                {
                    output.AppendUnchecked(text[i + 1], offset + i, offset + i + width);
                }

                runStart = output.Length;
                i += width;
                continue;
            }

            int count = Transform(codePoint, text, i, buffer, scratch);
            for (int k = 0; k < count; k++)
            {
                runStart = Append(output, buffer[k], offset + i, offset + i + width, runStart);
            }

            i += width;
        }
    }

    /// <summary>Normalizes a whole string without alignment, for added-token contents.</summary>
    public string Normalize(string text)
    {
        var output = new NormalizedText();
        Normalize(text, 0, output);
        return new string(output.Chars);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsPlain(char c)
        => (UnicodeTables.GetFlags(c) & _slowFlags) == 0 && !(_padChinese && IsChineseBmp(c)) && !(_clean && c == '\uFFFD');

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsChineseBmp(int codePoint)
        => (uint)(codePoint - 0x4E00) <= 0x9FFF - 0x4E00
        || (uint)(codePoint - 0x3400) <= 0x4DBF - 0x3400
        || (uint)(codePoint - 0xF900) <= 0xFAFF - 0xF900;

    private static bool IsRemovedByCleaning(int codePoint)
        => codePoint == 0 || codePoint == 0xFFFD || (UnicodeTables.GetFlags(codePoint) & CharacterFlags.Control) != 0;

    private static int NextCodePoint(ReadOnlySpan<char> text, ref int index)
    {
        char c = text[index];
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            index += 2;
            return char.ConvertToUtf32(c, text[index - 1]);
        }

        index++;
        return c;
    }

    private static int PreviousCodePoint(ReadOnlySpan<char> text, ref int index)
    {
        char c = text[index - 1];
        if (char.IsLowSurrogate(c) && index >= 2 && char.IsHighSurrogate(text[index - 2]))
        {
            index -= 2;
            return char.ConvertToUtf32(text[index], c);
        }

        index--;
        return c;
    }

    private static int AppendUtf16(ReadOnlySpan<char> units, Span<int> destination, int count)
    {
        for (int k = 0; k < units.Length; k++)
        {
            char u = units[k];
            if (char.IsHighSurrogate(u) && k + 1 < units.Length)
            {
                destination[count++] = char.ConvertToUtf32(u, units[k + 1]);
                k++;
            }
            else
            {
                destination[count++] = u;
            }
        }

        return count;
    }

    private int Append(NormalizedText output, int codePoint, int start, int end, int runStart)
    {
        int width = codePoint >= 0x10000 ? 2 : 1;
        output.Reserve(width);
        int combiningClass = !_decomposes || codePoint < 0x300 ? 0 : UnicodeTables.GetCombiningClass(codePoint);
        if (combiningClass == 0 && width == 1)
        {
            output.AppendUnchecked((char)codePoint, start, end);
            return output.Length;
        }

        int position = output.Length;
        if (combiningClass != 0)
        {
            // Canonical reordering: a mark moves before the preceding marks of a higher class.
            ReadOnlySpan<char> chars = output.Chars;
            while (position > runStart)
            {
                int previous = position;
                int previousCodePoint = PreviousCodePoint(chars, ref previous);
                if (previous < runStart || UnicodeTables.GetCombiningClass(previousCodePoint) <= combiningClass)
                {
                    break;
                }

                position = previous;
            }
        }

        if (width == 1)
        {
            output.InsertUnchecked(position, (char)codePoint, start, end);
        }
        else
        {
            int shifted = codePoint - 0x10000;
            output.InsertUnchecked(position, (char)(0xD800 + (shifted >> 10)), start, end);
            output.InsertUnchecked(position + 1, (char)(0xDC00 + (shifted & 0x3FF)), start, end);
        }

        return combiningClass == 0 ? output.Length : runStart;
    }

    [SkipLocalsInit]
    private int Transform(int codePoint, ReadOnlySpan<char> text, int index, Span<int> buffer, Span<int> scratch)
    {
        Span<char> jamo = stackalloc char[3];
        buffer[0] = codePoint;
        int count = 1;
        foreach (NormalizationStep step in _steps)
        {
            int written = 0;
            for (int k = 0; k < count; k++)
            {
                int value = buffer[k];
                switch (step)
                {
                    case NormalizationStep.CleanText:
                        if (!IsRemovedByCleaning(value))
                        {
                            scratch[written++] = (UnicodeTables.GetFlags(value) & CharacterFlags.Whitespace) != 0 ? ' ' : value;
                        }

                        break;
                    case NormalizationStep.PadChineseCharacters:
                        if (IsChineseBmp(value))
                        {
                            scratch[written++] = ' ';
                            scratch[written++] = value;
                            scratch[written++] = ' ';
                        }
                        else
                        {
                            scratch[written++] = value;
                        }

                        break;
                    case NormalizationStep.Lowercase:
                        if (value == CapitalSigma)
                        {
                            scratch[written++] = IsFinalSigma(text, index) ? 0x3C2 : 0x3C3;
                        }
                        else
                        {
                            ReadOnlySpan<char> lower = UnicodeTables.GetLowercase(value);
                            if (lower.IsEmpty)
                            {
                                scratch[written++] = value;
                            }
                            else
                            {
                                written = AppendUtf16(lower, scratch, written);
                            }
                        }

                        break;
                    case NormalizationStep.DecomposeCanonical:
                        int jamoCount = UnicodeTables.DecomposeHangul(value, jamo);
                        if (jamoCount > 0)
                        {
                            written = AppendUtf16(jamo[..jamoCount], scratch, written);
                        }
                        else
                        {
                            ReadOnlySpan<char> decomposed = UnicodeTables.GetDecomposition(value);
                            if (decomposed.IsEmpty)
                            {
                                scratch[written++] = value;
                            }
                            else
                            {
                                written = AppendUtf16(decomposed, scratch, written);
                            }
                        }

                        break;
                    case NormalizationStep.StripNonspacingMarks:
                        if ((UnicodeTables.GetFlags(value) & CharacterFlags.NonspacingMark) == 0)
                        {
                            scratch[written++] = value;
                        }

                        break;
                    case NormalizationStep.StripMarks:
                        if ((UnicodeTables.GetFlags(value) & CharacterFlags.Mark) == 0)
                        {
                            scratch[written++] = value;
                        }

                        break;
                }
            }

            scratch[..written].CopyTo(buffer);
            count = written;
        }

        return count;
    }

    /// <summary>Final_Sigma: a cased letter precedes (skipping case-ignorables) and none follows.</summary>
    private bool IsFinalSigma(ReadOnlySpan<char> text, int index)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        bool casedBefore = false;
        int position = index;
        while (position > 0)
        {
            int previous = PreviousCodePoint(text, ref position);
            if (SkippedForContext(previous))
            {
                continue;
            }

            casedBefore = (UnicodeTables.GetFlags(previous) & CharacterFlags.Cased) != 0;
            break;
        }

        if (!casedBefore)
        {
            return false;
        }

        position = index;
        _ = NextCodePoint(text, ref position);
        while (position < text.Length)
        {
            int next = NextCodePoint(text, ref position);
            if (SkippedForContext(next))
            {
                continue;
            }

            return (UnicodeTables.GetFlags(next) & CharacterFlags.Cased) == 0;
        }

        return true;
    }

    private bool SkippedForContext(int codePoint)
        => (_cleanBeforeLowercase && IsRemovedByCleaning(codePoint))
        || (UnicodeTables.GetFlags(codePoint) & CharacterFlags.CaseIgnorable) != 0;
}
