using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Embeddings.Imaging;

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

    /// <summary>Returns the Orientation tag's value from a TIFF-structured EXIF block, or <see cref="Absent"/>.</summary>
    /// <remarks>Values other than 2 to 8 leave the image as stored, as in Pillow; a leading "Exif\0\0" is skipped as Pillow does.</remarks>
    public static int Read(ReadOnlySpan<byte> tiff)
    {
        if (tiff.StartsWith("Exif\0\0"u8))
        {
            tiff = tiff.Slice(6);
        }

        if (tiff.Length < 8)
        {
            return Absent;
        }

        bool little;
        if (tiff[0] == (byte)'I' && tiff[1] == (byte)'I' && tiff[2] == 42 && tiff[3] == 0)
        {
            little = true;
        }
        else if (tiff[0] == (byte)'M' && tiff[1] == (byte)'M' && tiff[2] == 0 && tiff[3] == 42)
        {
            little = false;
        }
        else
        {
            return Absent;
        }

        uint ifd = ReadUInt32(tiff.Slice(4), little);
        if (ifd > (uint)(tiff.Length - 2))
        {
            return Absent;
        }

        int count = ReadUInt16(tiff.Slice((int)ifd), little);
        int entries = (int)ifd + 2;
        for (int i = 0; i < count && entries + (12 * (i + 1)) <= tiff.Length; i++)
        {
            ReadOnlySpan<byte> entry = tiff.Slice(entries + (12 * i), 12);
            if (ReadUInt16(entry, little) != OrientationTag)
            {
                continue;
            }

            int type = ReadUInt16(entry.Slice(2), little);
            long value = type switch
            {
                3 => ReadUInt16(entry.Slice(8), little),
                4 => ReadUInt32(entry.Slice(8), little),
                _ => 1,
            };
            return value is >= 0 and <= 8 ? (int)value : 1;
        }

        return Absent;
    }

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
