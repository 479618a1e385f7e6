using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Embeddings.Imaging;

/// <summary>How Pillow 9.4 sees the start of an EXIF block.</summary>
internal enum ExifHeader
{
    /// <summary>No bytes: Pillow has no EXIF.</summary>
    Empty,

    /// <summary>A TIFF header Pillow reads.</summary>
    Valid,

    /// <summary>Not a TIFF prefix: Pillow raises SyntaxError.</summary>
    NotTiff,

    /// <summary>A TIFF prefix without a full header (or a BigTIFF one): Pillow raises struct.error.</summary>
    Truncated,
}

/// <summary>Reads the EXIF Orientation tag and applies it as Pillow's <c>ImageOps.exif_transpose</c> does.</summary>
/// <remarks>
/// A missing, malformed or out-of-range orientation leaves the image as stored, as Pillow does. Pillow 9.4 reads JPEG
/// orientation from the first APP1 "Exif" segment, and PNG orientation from eXIf (else an ImageMagick "Raw profile type exif"
/// text chunk), falling back to the XMP packet's tiff:Orientation when that EXIF has no Orientation tag.
/// </remarks>
internal static class ExifOrientation
{
    private const ushort OrientationTag = 0x0112;

    // Output pixels per tile column when transposing: 64 source rows of a 1500-pixel image fit in L2 with room to spare.
    private const int TransposeTile = 64;

    /// <summary>The value <see cref="Read"/> returns when the block has no readable Orientation tag.</summary>
    public const int Absent = -1;

    /// <summary>Classifies the start of an EXIF block (after any "Exif\0\0" prefix) as Pillow 9.4's <c>Exif.load</c> sees it.</summary>
    /// <remarks>
    /// Pillow accepts the classic TIFF prefixes II*\0 and MM\0*, the swapped II\0* and MM*\0, and MM\0+ (read as classic
    /// big-endian). Any other prefix raises SyntaxError; a valid prefix with fewer than 8 header bytes, or the little-endian
    /// BigTIFF prefix II+\0 (whose 16-byte header Pillow reads from only 8 bytes), raises struct.error. Where these escape, Pillow (and so transformers' load_image) fails on the file.
    /// </remarks>
    public static ExifHeader ClassifyHeader(ReadOnlySpan<byte> tiff)
    {
        if (tiff.IsEmpty)
        {
            return ExifHeader.Empty;
        }

        if (tiff.Length < 4)
        {
            return ExifHeader.NotTiff;
        }

        ReadOnlySpan<byte> prefix = tiff.Slice(0, 4);
        if (prefix.SequenceEqual("II+\0"u8))
        {
            return ExifHeader.Truncated;
        }

        // Pillow tells BigTIFF by the third byte being 43, so the big-endian BigTIFF prefix reads as classic TIFF.
        if (!(prefix.SequenceEqual("II*\0"u8) || prefix.SequenceEqual("II\0*"u8) || prefix.SequenceEqual("MM\0*"u8) || prefix.SequenceEqual("MM*\0"u8) || prefix.SequenceEqual("MM\0+"u8)))
        {
            return ExifHeader.NotTiff;
        }

        return tiff.Length < 8 ? ExifHeader.Truncated : ExifHeader.Valid;
    }

    /// <summary>Returns the Orientation tag's value from a TIFF-structured EXIF block as Pillow 9.4 reads it, or <see cref="Absent"/>.</summary>
    /// <remarks>
    /// Mirrors <c>ImageFileDirectory_v2.load</c>: entries are read in order; one of an unknown type or with no data is skipped;
    /// one whose data lies outside the block ends the directory (Pillow stops at the OSError); a repeated tag keeps its last
    /// value. The value is the entry's first element, and <c>exif_transpose</c> acts on it when it equals an integer from 2 to 8
    /// (so SHORT, LONG, signed, rational and floating-point entries count; BYTE, ASCII and UNDEFINED, read as bytes or text, do not).
    /// Returns 2 to 8, 1 for a present tag that leaves the image as stored, or <see cref="Absent"/>.
    /// </remarks>
    public static int Read(ReadOnlySpan<byte> tiff)
    {
        if (ClassifyHeader(tiff) != ExifHeader.Valid)
        {
            return Absent;
        }

        bool little = tiff[0] == (byte)'I';
        uint ifd = ReadUInt32(tiff.Slice(4), little);
        if (ifd > (uint)(tiff.Length - 2))
        {
            return Absent;
        }

        int count = ReadUInt16(tiff.Slice((int)ifd), little);
        int entries = (int)ifd + 2;
        int orientation = Absent;
        for (int i = 0; i < count && entries + (12 * (i + 1)) <= tiff.Length; i++)
        {
            ReadOnlySpan<byte> entry = tiff.Slice(entries + (12 * i), 12);
            int type = ReadUInt16(entry.Slice(2), little);
            int unit = type switch
            {
                1 or 2 or 6 or 7 => 1,
                3 or 8 => 2,
                4 or 9 or 11 or 13 => 4,
                5 or 10 or 12 or 16 => 8,
                _ => 0,
            };
            long size = (long)unit * ReadUInt32(entry.Slice(4), little);
            if (size == 0)
            {
                continue; // An unknown type or an empty value: Pillow skips the entry.
            }

            ReadOnlySpan<byte> value = entry.Slice(8, 4);
            if (size > 4)
            {
                uint at = ReadUInt32(value, little);
                if (at + size > tiff.Length)
                {
                    break; // Pillow's read past the end raises OSError, which ends the directory.
                }

                value = tiff.Slice((int)at, unit);
            }

            if (ReadUInt16(entry, little) == OrientationTag)
            {
                orientation = OrientationValue(type, value, little);
            }
        }

        return orientation;
    }

    /// <summary>The transform <c>exif_transpose</c> makes of an Orientation entry's first element: 2 to 8, else 1.</summary>
    private static int OrientationValue(int type, ReadOnlySpan<byte> value, bool little)
    {
        double number = type switch
        {
            3 => ReadUInt16(value, little),
            4 or 13 => ReadUInt32(value, little),
            6 => (sbyte)value[0],
            8 => (short)ReadUInt16(value, little),
            9 => (int)ReadUInt32(value, little),
            16 => little ? BinaryPrimitives.ReadUInt64LittleEndian(value) : BinaryPrimitives.ReadUInt64BigEndian(value),
            5 => Ratio(ReadUInt32(value, little), ReadUInt32(value.Slice(4), little)),
            10 => Ratio((int)ReadUInt32(value, little), (int)ReadUInt32(value.Slice(4), little)),
            11 => little ? BinaryPrimitives.ReadSingleLittleEndian(value) : BinaryPrimitives.ReadSingleBigEndian(value),
            12 => little ? BinaryPrimitives.ReadDoubleLittleEndian(value) : BinaryPrimitives.ReadDoubleBigEndian(value),
            _ => double.NaN, // BYTE, ASCII, UNDEFINED: Pillow holds bytes or text, which match no orientation.
        };
        return number is >= 2 and <= 8 && number == Math.Floor(number) ? (int)number : 1;
    }

    /// <summary>An IFDRational's value, NaN for a zero denominator; with 32-bit terms a non-integer ratio never rounds to an integer.</summary>
    private static double Ratio(long numerator, long denominator) => denominator == 0 ? double.NaN : (double)numerator / denominator;

    /// <summary>Finds Pillow's XMP fallback, the first <c>tiff:Orientation="d</c> or <c>tiff:Orientation&gt;d</c>, as a digit value, or <see cref="Absent"/>.</summary>
    public static int ReadXmp(ReadOnlySpan<byte> xmp)
    {
        ReadOnlySpan<byte> key = "tiff:Orientation"u8;
        while (true)
        {
            int at = xmp.IndexOf(key);
            if (at < 0)
            {
                return Absent;
            }

            ReadOnlySpan<byte> rest = xmp.Slice(at + key.Length);
            if (rest.Length >= 3 && rest[0] == (byte)'=' && rest[1] == (byte)'"' && rest[2] is >= (byte)'0' and <= (byte)'9')
            {
                return rest[2] - '0';
            }

            if (rest.Length >= 2 && rest[0] == (byte)'>' && rest[1] is >= (byte)'0' and <= (byte)'9')
            {
                return rest[1] - '0';
            }

            xmp = rest;
        }
    }

    /// <summary>Returns <paramref name="image"/> transposed for <paramref name="orientation"/> (itself for 1 or an unknown value).</summary>
    public static RgbImage Apply(RgbImage image, int orientation)
    {
        if (orientation is < 2 or > 8)
        {
            return image;
        }

        int w = image.Width, h = image.Height;
        bool swap = orientation >= 5;
        int outWidth = swap ? h : w, outHeight = swap ? w : h;

        // Source pixel index for output (x, y) is start + x * stepX + y * stepY (in pixels).
        (int start, int stepX, int stepY) = orientation switch
        {
            2 => (w - 1, -1, w),                       // FLIP_LEFT_RIGHT
            3 => ((w * h) - 1, -1, -w),                // ROTATE_180
            4 => ((h - 1) * w, 1, -w),                 // FLIP_TOP_BOTTOM
            5 => (0, w, 1),                            // TRANSPOSE
            6 => ((h - 1) * w, -w, 1),                 // ROTATE_270 (90 degrees clockwise)
            7 => ((w * h) - 1, -w, -1),                // TRANSVERSE
            _ => (w - 1, w, -1),                       // 8: ROTATE_90 (90 degrees counter-clockwise)
        };
        byte[] source = image.Pixels;
        RgbImage result = RgbImage.CreateLike(image, outWidth, outHeight);
        byte[] pixels = result.Pixels; // Every byte is written below.
        if (!swap)
        {
            for (int y = 0; y < outHeight; y++)
            {
                CopyRun(source, start + (y * stepY), stepX, pixels.AsSpan(y * outWidth * 3, outWidth * 3));
            }
        }
        else
        {
            // A transposing orientation reads the source down its columns; in tiles, the rows one tile touches stay in cache.
            for (int tileX = 0; tileX < outWidth; tileX += TransposeTile)
            {
                int tileWidth = Math.Min(TransposeTile, outWidth - tileX);
                for (int y = 0; y < outHeight; y++)
                {
                    CopyRun(source, start + (y * stepY) + (tileX * stepX), stepX, pixels.AsSpan(((y * outWidth) + tileX) * 3, tileWidth * 3));
                }
            }
        }

        image.Dispose();
        return result;
    }

    /// <summary>Copies <c>target.Length / 3</c> pixels from source pixel <paramref name="from"/> on, <paramref name="step"/> pixels apart.</summary>
    private static void CopyRun(byte[] source, int from, int step, Span<byte> target)
    {
        int count = target.Length / 3;
        int last = from + ((count - 1) * step);
        if (count == 0 || (uint)from >= (uint)(source.Length / 3) || (uint)last >= (uint)(source.Length / 3))
        {
            throw new ArgumentOutOfRangeException(nameof(from), "The run leaves the source image."); // Unreachable by construction; guards the unchecked reads below.
        }

        if (step == 1)
        {
            source.AsSpan(from * 3, target.Length).CopyTo(target);
            return;
        }

        // Both ends of the run are checked above and it moves monotonically, so every read is in bounds.
        ref byte sourceStart = ref MemoryMarshal.GetArrayDataReference(source);
        ref byte targetStart = ref MemoryMarshal.GetReference(target);
        nint at = (nint)from * 3, stride = (nint)step * 3;
        for (int x = 0; x < count; x++, at += stride)
        {
            ref byte pixel = ref Unsafe.Add(ref sourceStart, at);
            ref byte to = ref Unsafe.Add(ref targetStart, x * 3);
            Unsafe.WriteUnaligned(ref to, Unsafe.ReadUnaligned<ushort>(ref pixel));
            Unsafe.Add(ref to, 2) = Unsafe.Add(ref pixel, 2);
        }
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(data) : BinaryPrimitives.ReadUInt16BigEndian(data);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(data) : BinaryPrimitives.ReadUInt32BigEndian(data);
}
