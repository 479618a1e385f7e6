using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Embeddings.Imaging;

/// <summary>Decodes PNG files to 8-bit RGB exactly as Pillow 9.4's <c>Image.open(f).convert("RGB")</c> does.</summary>
/// <remarks>
/// Pillow's conversions, verified against Pillow 9.4: gray is replicated (1/2/4-bit scaled by 255, 85, 17); 16-bit gray
/// opens as mode "I" and <c>convert("RGB")</c> clips it to 255 rather than scaling; 16-bit color, gray+alpha and RGBA keep
/// the high byte; alpha and tRNS are dropped, not composited; a palette index past the end of PLTE maps to gray (i, i, i).
/// Unlike Pillow, every chunk CRC (including IDAT's) is checked and truncated pixel data is an error.
/// </remarks>
internal static class PngDecoder
{
    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private static readonly uint[] CrcTable = BuildCrcTable();

    private static readonly (int X, int Y, int DX, int DY)[] Adam7Passes =
    [
        (0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2),
    ];

    /// <summary>Returns whether <paramref name="data"/> starts with the PNG signature.</summary>
    public static bool IsPng(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    /// <summary>Decodes a whole PNG file.</summary>
    /// <exception cref="InvalidDataException">The file is malformed, truncated or fails a CRC check.</exception>
    /// <exception cref="ImageTooLargeException">The declared size exceeds <paramref name="maxPixels"/>.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, long maxPixels, string source, bool pooled, out int orientation)
    {
        if (!IsPng(data))
        {
            throw Corrupt(source, 0, "the 8-byte PNG signature");
        }

        var header = default(Header);
        bool haveHeader = false;
        ReadOnlySpan<byte> palette = default;
        orientation = ExifOrientation.Absent;
        int xmpOrientation = ExifOrientation.Absent, exifOffset = 0;
        bool exifSeen = false, rawProfileSeen = false;
        ReadOnlySpan<byte> exif = default;
        byte[]? rawProfileExif = null;
        byte[]? compressed = null;
        int compressedLength = 0;
        bool idatEnded = false;
        bool idatSeen = false;
        int offset = Signature.Length;
        try
        {
            while (true)
            {
                if (data.Length - offset < 12)
                {
                    if (idatSeen && PillowStopsBefore(data.Slice(offset)))
                    {
                        break; // Missing IEND: Pillow accepts it when the image data is complete, which inflation checks.
                    }

                    throw Corrupt(source, offset, "another chunk (file is truncated)");
                }

                uint length = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(offset));
                ReadOnlySpan<byte> type = data.Slice(offset + 4, 4);
                if (length > int.MaxValue || length > data.Length - offset - 12)
                {
                    if (idatEnded && PillowStopsBefore(data.Slice(offset)))
                    {
                        break;
                    }

                    throw Corrupt(source, offset, $"a chunk whose length ({length}) fits in the file (file is truncated or the length is corrupt)");
                }

                ReadOnlySpan<byte> body = data.Slice(offset + 8, (int)length);
                uint storedCrc = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(offset + 8 + (int)length));
                uint actualCrc = Crc32(data.Slice(offset + 4, 4 + (int)length));
                if (storedCrc != actualCrc)
                {
                    throw Corrupt(source, offset, $"a matching CRC for chunk '{ChunkName(type)}' (stored 0x{storedCrc:X8}, computed 0x{actualCrc:X8})");
                }

                int chunkOffset = offset;
                offset += 12 + (int)length;
                if (!haveHeader)
                {
                    if (!type.SequenceEqual("IHDR"u8))
                    {
                        throw Corrupt(source, chunkOffset, "IHDR as the first chunk");
                    }

                    header = ParseHeader(body, source, chunkOffset);
                    ImageTooLargeException.ThrowIfTooLarge(source, header.Width, header.Height, maxPixels);
                    haveHeader = true;
                    continue;
                }

                if (type.SequenceEqual("IDAT"u8))
                {
                    if (idatEnded)
                    {
                        throw Corrupt(source, chunkOffset, "IDAT chunks to be consecutive");
                    }

                    idatSeen = true;
                    if (compressed is null || compressedLength + body.Length > compressed.Length)
                    {
                        byte[] grown = ArrayPool<byte>.Shared.Rent(Math.Max(body.Length + compressedLength, Math.Min(data.Length, (compressed?.Length ?? 0) * 2)));
                        if (compressed is not null)
                        {
                            compressed.AsSpan(0, compressedLength).CopyTo(grown);
                            ArrayPool<byte>.Shared.Return(compressed);
                        }

                        compressed = grown;
                    }

                    body.CopyTo(compressed.AsSpan(compressedLength));
                    compressedLength += body.Length;
                    continue;
                }

                if (idatSeen)
                {
                    idatEnded = true;
                }

                if (type.SequenceEqual("IEND"u8))
                {
                    break;
                }

                if (type.SequenceEqual("PLTE"u8))
                {
                    if (body.Length % 3 != 0 || body.Length == 0 || body.Length > 768)
                    {
                        throw Corrupt(source, chunkOffset, $"a PLTE chunk of 1 to 256 RGB entries (got {body.Length} bytes)");
                    }

                    palette = body;
                }
                else if (type.SequenceEqual("eXIf"u8))
                {
                    // Pillow keeps the last eXIf chunk.
                    exif = body;
                    exifOffset = chunkOffset;
                    exifSeen = true;
                }
                else if (type.SequenceEqual("tRNS"u8) && body.Length < header.ColorType switch { 0 => 2, 2 => 6, _ => 0 })
                {
                    // Pillow reads a gray or RGB tRNS as 16-bit values and fails on a short one (struct.error), wherever it is.
                    throw Corrupt(source, chunkOffset, $"a tRNS chunk of {(header.ColorType == 0 ? 2 : 6)} bytes for this color type (got {body.Length}; Pillow cannot read the file)");
                }
                else if (type.SequenceEqual("tEXt"u8) || type.SequenceEqual("zTXt"u8) || type.SequenceEqual("iTXt"u8))
                {
                    ReadTextOrientation(type, body, ref rawProfileSeen, ref rawProfileExif, ref xmpOrientation);
                }
                else if (type.SequenceEqual("IHDR"u8))
                {
                    throw Corrupt(source, chunkOffset, "a single IHDR chunk");
                }
                else if ((type[0] & 0x20) == 0)
                {
                    throw new NotSupportedException($"{source}: PNG critical chunk '{ChunkName(type)}' at byte {chunkOffset} is not supported.");
                }
            }

            if (!haveHeader || compressed is null)
            {
                throw Corrupt(source, offset, "IHDR and at least one IDAT chunk");
            }

            if (header.ColorType == 3 && palette.IsEmpty)
            {
                throw Corrupt(source, offset, "a PLTE chunk before the image data of a palette image");
            }

            if (exifSeen)
            {
                orientation = ReadExifOrientation(exif, source, exifOffset, "eXIf chunk");
            }
            else if (rawProfileSeen)
            {
                // Pillow reads the profile's hex with bytes.fromhex, whose ValueError escapes exif_transpose.
                byte[] profile = rawProfileExif
                    ?? throw new InvalidDataException($"{source}: malformed PNG \"Raw profile type exif\" text: its EXIF is not hexadecimal, and Pillow (so transformers' load_image) cannot read this file.");
                ReadOnlySpan<byte> tiff = profile.AsSpan().StartsWith("Exif\0\0"u8) ? profile.AsSpan(6) : profile;
                orientation = ReadExifOrientation(tiff, source, offset, "\"Raw profile type exif\" text");
            }

            if (orientation == ExifOrientation.Absent)
            {
                orientation = xmpOrientation;
            }

            return DecodePixels(header, palette, compressed, compressedLength, source, pooled);
        }
        finally
        {
            if (compressed is not null)
            {
                ArrayPool<byte>.Shared.Return(compressed);
            }
        }
    }

    private static RgbImage DecodePixels(in Header header, ReadOnlySpan<byte> palette, byte[] compressed, int compressedLength, string source, bool pooled)
    {
        int channels = header.ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        int bitsPerPixel = channels * header.BitDepth;
        int filterStride = Math.Max(1, bitsPerPixel / 8);
        // Every row (every Adam7 pixel) is written, with zero samples past a clean early end of the data, or decoding throws.
        RgbImage image = pooled ? RgbImage.Rent(header.Width, header.Height) : new RgbImage(header.Width, header.Height, GC.AllocateUninitializedArray<byte>(checked(header.Width * header.Height * 3)));
        byte[] output = image.Pixels;
        bool decoded = false;
        long maxRowBytes = ((long)header.Width * bitsPerPixel + 7) / 8;
        if (maxRowBytes > Array.MaxLength - 1)
        {
            throw new ImageTooLargeException(source, header.Width, header.Height, Array.MaxLength / 8);
        }

        byte[] rowsBuffer = ArrayPool<byte>.Shared.Rent((int)(2 * (maxRowBytes + 1)));
        byte[] rgbRow = ArrayPool<byte>.Shared.Rent(header.Width * 3);
        try
        {
            using var stream = new MemoryStream(compressed, 0, compressedLength, writable: false);
            using var inflater = new ZLibStream(stream, CompressionMode.Decompress);
            var end = new StreamEnd(compressed, compressedLength);
            if (header.Interlaced)
            {
                foreach (var (px, py, dx, dy) in Adam7Passes)
                {
                    int passWidth = (header.Width - px + dx - 1) / dx;
                    int passHeight = (header.Height - py + dy - 1) / dy;
                    if (passWidth <= 0 || passHeight <= 0)
                    {
                        continue;
                    }

                    int rowBytes = (int)(((long)passWidth * bitsPerPixel + 7) / 8);
                    Span<byte> previous = rowsBuffer.AsSpan(0, rowBytes + 1);
                    Span<byte> current = rowsBuffer.AsSpan(rowBytes + 1, rowBytes + 1);
                    previous.Clear();
                    for (int y = 0; y < passHeight; y++)
                    {
                        ReadRow(inflater, current, source, ref end);
                        Unfilter(current, previous, filterStride, source);
                        ConvertRow(header, palette, current.Slice(1), rgbRow.AsSpan(0, passWidth * 3), passWidth);
                        Span<byte> target = output.AsSpan(((py + (y * dy)) * header.Width) * 3);
                        for (int x = 0; x < passWidth; x++)
                        {
                            int to = (px + (x * dx)) * 3;
                            target[to] = rgbRow[x * 3];
                            target[to + 1] = rgbRow[(x * 3) + 1];
                            target[to + 2] = rgbRow[(x * 3) + 2];
                        }

                        Span<byte> swap = previous;
                        previous = current;
                        current = swap;
                    }
                }
            }
            else
            {
                int rowBytes = (int)maxRowBytes;
                Span<byte> previous = rowsBuffer.AsSpan(0, rowBytes + 1);
                Span<byte> current = rowsBuffer.AsSpan(rowBytes + 1, rowBytes + 1);
                previous.Clear();
                for (int y = 0; y < header.Height; y++)
                {
                    ReadRow(inflater, current, source, ref end);
                    Unfilter(current, previous, filterStride, source);
                    ConvertRow(header, palette, current.Slice(1), output.AsSpan(y * header.Width * 3, header.Width * 3), header.Width);
                    Span<byte> swap = previous;
                    previous = current;
                    current = swap;
                }
            }

            decoded = true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rowsBuffer);
            ArrayPool<byte>.Shared.Return(rgbRow);
            if (!decoded)
            {
                image.Dispose();
            }
        }

        return image;
    }

    /// <summary>Whether Pillow, reading the chunks after the image data, stops quietly at this cut-off chunk rather than failing.</summary>
    /// <remarks>
    /// Pillow's load_end stops without error at a header it cannot read (under 8 bytes, or a type that is not four letters,
    /// digits or underscores) and at IEND; it reads any other chunk's body and fails ("Truncated File Read") when that is cut
    /// short. A body that is whole but lacks its CRC is accepted, as Pillow does not check CRCs after the image data.
    /// </remarks>
    private static bool PillowStopsBefore(ReadOnlySpan<byte> rest)
    {
        if (rest.Length < 8)
        {
            return true;
        }

        ReadOnlySpan<byte> type = rest.Slice(4, 4);
        foreach (byte c in type)
        {
            if (!(char.IsAsciiLetterOrDigit((char)c) || c == (byte)'_'))
            {
                return true;
            }
        }

        return type.SequenceEqual("IEND"u8) || BinaryPrimitives.ReadUInt32BigEndian(rest) <= (uint)(rest.Length - 8);
    }

    /// <summary>Reads the text chunks Pillow 9.4's getexif consults: "Raw profile type exif" (hex EXIF) and "XML:com.adobe.xmp".</summary>
    /// <remarks>Malformed or oversized (over 1 MB inflated, Pillow's MAX_TEXT_CHUNK) text is ignored, never an error.</remarks>
    private static void ReadTextOrientation(ReadOnlySpan<byte> type, ReadOnlySpan<byte> body, ref bool rawProfileSeen, ref byte[]? rawProfileExif, ref int xmpOrientation)
    {
        int nul = body.IndexOf((byte)0);
        if (nul <= 0)
        {
            return;
        }

        ReadOnlySpan<byte> key = body.Slice(0, nul);
        bool rawProfile = key.SequenceEqual("Raw profile type exif"u8);
        if (!rawProfile && !key.SequenceEqual("XML:com.adobe.xmp"u8))
        {
            return;
        }

        ReadOnlySpan<byte> rest = body.Slice(nul + 1);
        bool compressed;
        if (type.SequenceEqual("tEXt"u8))
        {
            compressed = false;
        }
        else if (type.SequenceEqual("zTXt"u8))
        {
            compressed = true;
            rest = rest.IsEmpty ? rest : rest.Slice(1);
        }
        else
        {
            // iTXt: compression flag, method, language tag\0, translated keyword\0, text.
            if (rest.Length < 2)
            {
                return;
            }

            compressed = rest[0] == 1;
            rest = rest.Slice(2);
            for (int skip = 0; skip < 2; skip++)
            {
                int end = rest.IndexOf((byte)0);
                if (end < 0)
                {
                    return;
                }

                rest = rest.Slice(end + 1);
            }
        }

        byte[]? inflated = null;
        if (compressed)
        {
            inflated = InflateText(rest);
            if (inflated is null)
            {
                return;
            }

            rest = inflated;
        }

        if (rawProfile)
        {
            rawProfileSeen = true;
            rawProfileExif = RawProfileBytes(rest);
        }
        else
        {
            xmpOrientation = ExifOrientation.ReadXmp(rest);
        }
    }

    /// <summary>Decodes ImageMagick's raw profile text as Pillow does: drop the first three lines, join the rest, read hex.</summary>
    /// <returns>The bytes, or null where bytes.fromhex raises (a non-hex character, whitespace inside a byte, an odd digit count).</returns>
    private static byte[]? RawProfileBytes(ReadOnlySpan<byte> text)
    {
        for (int line = 0; line < 3; line++)
        {
            int end = text.IndexOf((byte)'\n');
            if (end < 0)
            {
                return [];
            }

            text = text.Slice(end + 1);
        }

        var bytes = new byte[text.Length / 2];
        int count = 0, high = -1;
        foreach (byte c in text)
        {
            int digit = c is >= (byte)'0' and <= (byte)'9' ? c - '0' : (c | 0x20) is >= (byte)'a' and <= (byte)'f' ? (c | 0x20) - 'a' + 10 : -1;
            if (digit < 0)
            {
                if (high < 0 && c is (byte)'\n' or (byte)' ' or (byte)'\t' or (byte)'\r' or 0x0B or 0x0C)
                {
                    continue;
                }

                return null;
            }

            if (high < 0)
            {
                high = digit;
            }
            else
            {
                bytes[count++] = (byte)((high << 4) | digit);
                high = -1;
            }
        }

        return high < 0 ? bytes.AsSpan(0, count).ToArray() : null;
    }

    /// <summary>Reads the Orientation from an EXIF block as Pillow's getexif does, throwing where it raises.</summary>
    private static int ReadExifOrientation(ReadOnlySpan<byte> tiff, string source, int offset, string what)
    {
        ExifHeader header = ExifOrientation.ClassifyHeader(tiff);
        if (header is ExifHeader.NotTiff or ExifHeader.Truncated)
        {
            throw new InvalidDataException($"{source}: malformed PNG {what} at byte {offset}: its TIFF header is {(header == ExifHeader.Truncated ? "truncated" : "invalid")}, and Pillow (so transformers' load_image) cannot read this file.");
        }

        return ExifOrientation.Read(tiff);
    }

    private static byte[]? InflateText(ReadOnlySpan<byte> compressed)
    {
        const int MaxText = 1 << 20;
        try
        {
            using var input = new MemoryStream(compressed.ToArray(), writable: false);
            using var inflater = new ZLibStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = inflater.Read(buffer)) > 0)
            {
                output.Write(buffer, 0, read);
                if (output.Length > MaxText)
                {
                    return null;
                }
            }

            return output.ToArray();
        }
        catch (IOException)
        {
            return null; // Includes InvalidDataException: a corrupt text chunk is not worth failing the image.
        }
    }

    /// <summary>Reads one filtered row; past a clean early end of the zlib stream, a row of zero samples.</summary>
    /// <remarks>
    /// Pillow's zip decoder stops without error when the zlib stream ends cleanly right after a whole row, leaving the rest
    /// of the image zero (so palette index 0, black, ...); a stream that ends inside a row, or data cut off before the end of
    /// the stream, is "image file is truncated".
    /// </remarks>
    private static void ReadRow(ZLibStream inflater, Span<byte> row, string source, ref StreamEnd end)
    {
        if (end.Reached)
        {
            row.Clear(); // Filter type 0 and zero samples.
            return;
        }

        int read;
        try
        {
            read = inflater.ReadAtLeast(row, row.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"{source}: PNG image data (IDAT) is not a valid zlib stream: {exception.Message}", exception);
        }
        catch (IOException exception)
        {
            // ZLibException (an IOException) reports some corrupt deflate streams, e.g. an invalid window size in the zlib header.
            throw new InvalidDataException($"{source}: PNG image data (IDAT) is not a valid zlib stream: {exception.Message}", exception);
        }

        if (read == 0 && end.Rows > 0 && end.IsClean())
        {
            end.Reached = true;
            row.Clear();
            return;
        }

        if (read < row.Length)
        {
            throw new InvalidDataException($"{source}: PNG image data ended early: the IDAT stream holds fewer bytes than the declared size needs (file is truncated).");
        }

        end.Rows++;
    }

    /// <summary>Tracks whether the zlib stream ended before the image did, and whether it ended cleanly.</summary>
    private struct StreamEnd(byte[] compressed, int length)
    {
        public int Rows;

        public bool Reached;

        /// <summary>Whether the zlib data is a whole stream: its last 4 bytes are the Adler-32 of everything it inflates to.</summary>
        /// <remarks>Only reached for a short stream, so inflating it a second time costs nothing in the common case.</remarks>
        public readonly bool IsClean()
        {
            if (length < 6)
            {
                return false;
            }

            try
            {
                using var input = new MemoryStream(compressed, 0, length, writable: false);
                using var inflater = new ZLibStream(input, CompressionMode.Decompress);
                uint a = 1, b = 0;
                byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
                try
                {
                    int read;
                    while ((read = inflater.Read(buffer)) > 0)
                    {
                        foreach (byte value in buffer.AsSpan(0, read))
                        {
                            a = (a + value) % 65521;
                            b = (b + a) % 65521;
                        }
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                return ((b << 16) | a) == BinaryPrimitives.ReadUInt32BigEndian(compressed.AsSpan(length - 4));
            }
            catch (IOException)
            {
                return false; // InvalidDataException included: a corrupt stream is not a clean one.
            }
        }
    }

    private static void Unfilter(Span<byte> row, ReadOnlySpan<byte> previous, int bpp, string source)
    {
        Span<byte> line = row.Slice(1);
        ReadOnlySpan<byte> prior = previous.Slice(1);
        switch (row[0])
        {
            case 0:
                break;
            case 1:
                for (int i = bpp; i < line.Length; i++)
                {
                    line[i] += line[i - bpp];
                }

                break;
            case 2:
                for (int i = 0; i < line.Length; i++)
                {
                    line[i] += prior[i];
                }

                break;
            case 3:
                for (int i = 0; i < bpp && i < line.Length; i++)
                {
                    line[i] += (byte)(prior[i] >> 1);
                }

                for (int i = bpp; i < line.Length; i++)
                {
                    line[i] += (byte)((line[i - bpp] + prior[i]) >> 1);
                }

                break;
            case 4:
                for (int i = 0; i < bpp && i < line.Length; i++)
                {
                    line[i] += prior[i];
                }

                for (int i = bpp; i < line.Length; i++)
                {
                    int a = line[i - bpp], b = prior[i], c = prior[i - bpp];
                    int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - c - c);
                    line[i] += (byte)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
                }

                break;
            default:
                throw new InvalidDataException($"{source}: PNG row filter type {row[0]} is invalid (expected 0 to 4).");
        }
    }

    private static void ConvertRow(in Header header, ReadOnlySpan<byte> palette, ReadOnlySpan<byte> line, Span<byte> rgb, int width)
    {
        int depth = header.BitDepth;
        switch (header.ColorType)
        {
            case 0 when depth == 16:
                for (int x = 0; x < width; x++)
                {
                    // Pillow opens 16-bit gray as mode "I"; convert("RGB") clips to 255 instead of scaling.
                    int value = (line[x * 2] << 8) | line[(x * 2) + 1];
                    byte gray = value > 255 ? (byte)255 : (byte)value;
                    rgb[x * 3] = rgb[(x * 3) + 1] = rgb[(x * 3) + 2] = gray;
                }

                break;
            case 0:
                {
                    int scale = depth switch { 1 => 255, 2 => 85, 4 => 17, _ => 1 };
                    for (int x = 0; x < width; x++)
                    {
                        byte gray = (byte)(Sample(line, x, depth) * scale);
                        rgb[x * 3] = rgb[(x * 3) + 1] = rgb[(x * 3) + 2] = gray;
                    }

                    break;
                }

            case 3:
                {
                    int entries = palette.Length / 3;
                    for (int x = 0; x < width; x++)
                    {
                        int index = Sample(line, x, depth);
                        if (index < entries)
                        {
                            rgb[x * 3] = palette[index * 3];
                            rgb[(x * 3) + 1] = palette[(index * 3) + 1];
                            rgb[(x * 3) + 2] = palette[(index * 3) + 2];
                        }
                        else
                        {
                            rgb[x * 3] = rgb[(x * 3) + 1] = rgb[(x * 3) + 2] = (byte)index;
                        }
                    }

                    break;
                }

            default:
                {
                    // Gray+alpha, RGB, RGBA at 8 or 16 bits: keep the high byte of each sample, drop alpha.
                    int channels = header.ColorType switch { 2 => 3, 4 => 2, _ => 4 };
                    int sampleBytes = depth / 8;
                    int pixelBytes = channels * sampleBytes;
                    if (channels == 3 && sampleBytes == 1)
                    {
                        line.Slice(0, width * 3).CopyTo(rgb);
                    }
                    else if (channels == 2)
                    {
                        for (int x = 0; x < width; x++)
                        {
                            rgb[x * 3] = rgb[(x * 3) + 1] = rgb[(x * 3) + 2] = line[x * pixelBytes];
                        }
                    }
                    else
                    {
                        for (int x = 0; x < width; x++)
                        {
                            int at = x * pixelBytes;
                            rgb[x * 3] = line[at];
                            rgb[(x * 3) + 1] = line[at + sampleBytes];
                            rgb[(x * 3) + 2] = line[at + (2 * sampleBytes)];
                        }
                    }

                    break;
                }
        }
    }

    private static int Sample(ReadOnlySpan<byte> line, int x, int depth) => depth switch
    {
        8 => line[x],
        4 => (line[x >> 1] >> (4 - ((x & 1) * 4))) & 0x0F,
        2 => (line[x >> 2] >> (6 - ((x & 3) * 2))) & 0x03,
        _ => (line[x >> 3] >> (7 - (x & 7))) & 0x01,
    };

    private static Header ParseHeader(ReadOnlySpan<byte> body, string source, int offset)
    {
        if (body.Length != 13)
        {
            throw Corrupt(source, offset, $"an IHDR chunk of 13 bytes (got {body.Length})");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(body);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(body.Slice(4));
        byte depth = body[8], colorType = body[9];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            throw Corrupt(source, offset, $"IHDR width and height between 1 and 2^31-1 (got {width}x{height})");
        }

        bool valid = colorType switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (!valid)
        {
            throw Corrupt(source, offset, $"a valid IHDR color type and bit depth (got color type {colorType}, bit depth {depth})");
        }

        if (body[10] != 0 || body[11] != 0 || body[12] > 1)
        {
            throw Corrupt(source, offset, $"IHDR compression 0, filter 0 and interlace 0 or 1 (got {body[10]}, {body[11]}, {body[12]})");
        }

        return new Header((int)width, (int)height, depth, colorType, body[12] == 1);
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<uint> table = CrcTable;
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc = table[(int)((crc ^ b) & 0xFF)] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }

    private static string ChunkName(ReadOnlySpan<byte> type)
    {
        Span<char> name = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            name[i] = type[i] is >= 0x20 and < 0x7F ? (char)type[i] : '?';
        }

        return new string(name);
    }

    private static InvalidDataException Corrupt(string source, int offset, string expected) =>
        new($"{source}: malformed PNG at byte {offset}: expected {expected}.");

    private readonly record struct Header(int Width, int Height, int BitDepth, int ColorType, bool Interlaced);
}
