namespace Embeddings.Imaging;

/// <summary>Sniffs an encoded image's format, decodes PNG and JPEG to RGB and applies EXIF orientation, matching Pillow 9.4.</summary>
/// <remarks>
/// The result equals <c>ImageOps.exif_transpose(Image.open(f)).convert("RGB")</c>. Stateless and thread-safe.
/// Every loop is bounded by the input size, and dimensions are checked against the pixel limit before any pixel buffer is allocated.
/// </remarks>
internal static class ImageDecoder
{
    /// <summary>The default pixel limit: 100 megapixels.</summary>
    public const int DefaultMaxPixels = 100_000_000;

    /// <summary>The largest accepted pixel limit: an RGB buffer must fit in one array.</summary>
    public const int MaxSupportedPixels = 700_000_000;

    private const string DefaultSourceName = "image";

    /// <summary>Decodes a PNG or JPEG file held in memory.</summary>
    /// <param name="encoded">The whole file.</param>
    /// <param name="maxPixels">Images with more pixels than this are refused before decoding.</param>
    /// <param name="sourceName">A name for messages, such as the file path; null for a generic name.</param>
    /// <param name="pooled">Whether the pixels live in a pooled buffer the caller gives back by disposing the image (see <see cref="RgbImage"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPixels"/> is not positive or above <see cref="MaxSupportedPixels"/>.</exception>
    /// <exception cref="InvalidDataException">The data is not a recognized image, or is truncated or corrupt.</exception>
    /// <exception cref="NotSupportedException">The data is a format or a variant of PNG/JPEG this decoder does not handle.</exception>
    /// <exception cref="ImageTooLargeException">The declared dimensions exceed <paramref name="maxPixels"/>.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded, int maxPixels = DefaultMaxPixels, string? sourceName = null, bool pooled = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPixels);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPixels, MaxSupportedPixels);
        string source = sourceName ?? DefaultSourceName;
        RgbImage image;
        int orientation;
        if (PngDecoder.IsPng(encoded))
        {
            image = PngDecoder.Decode(encoded, maxPixels, source, pooled, out orientation);
        }
        else if (JpegDecoder.IsJpeg(encoded))
        {
            image = JpegDecoder.Decode(encoded, maxPixels, source, pooled, out orientation);
        }
        else
        {
            throw Unrecognized(encoded, source);
        }

        return ExifOrientation.Apply(image, orientation);
    }

    /// <summary>Reads an encoded image file within <see cref="ModelFileReader.MaxDataBytes"/>, refusing it from its first bytes if it is not a PNG or JPEG.</summary>
    /// <remarks>A huge or endless non-image file (a 1 GiB file of zeros, <c>/dev/zero</c>, a video) fails at once instead of being read up to the limit.</remarks>
    /// <exception cref="FileNotFoundException">The file does not exist, or the path names a folder.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="InvalidDataException">The file does not start like a PNG or JPEG file, or is over 1 GiB.</exception>
    /// <exception cref="NotSupportedException">The file starts like another image format, which the message names.</exception>
    public static byte[] ReadFile(string path, string source) =>
        ModelFileReader.ReadAllBytes(path, ModelFileReader.MaxDataBytes, header => ThrowIfUnrecognized(header, source));

    /// <summary>Reads a stream to its end within <see cref="ModelFileReader.MaxDataBytes"/>, stopping after the first bytes if they are not a PNG or JPEG signature.</summary>
    /// <returns>The bytes read: the whole stream, or only its first bytes when these already show it is no PNG or JPEG (decoding them reports why).</returns>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    /// <exception cref="InvalidDataException">The stream holds a PNG or JPEG signature followed by more than 1 GiB.</exception>
    public static ReadOnlyMemory<byte> ReadStream(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] header = new byte[ModelFileReader.HeaderBytes];
        int read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (read < header.Length || !IsPngOrJpeg(header))
        {
            return header.AsMemory(0, read);
        }

        return ModelFileReader.ReadToEnd(stream, header, ModelFileReader.MaxDataBytes, () => new InvalidDataException(
            $"{source}: the stream is longer than {ModelFileReader.MaxDataBytes} bytes ({ModelFileReader.MaxDataBytes >> 20} MiB), the limit for an encoded image."));
    }

    /// <summary>Throws the error <see cref="Decode(ReadOnlySpan{byte}, int, string?, bool)"/> would give unless <paramref name="header"/>, the first bytes of a file, starts like a PNG or JPEG.</summary>
    /// <exception cref="InvalidDataException">The bytes match no known image signature.</exception>
    /// <exception cref="NotSupportedException">The bytes start another image format, which the message names.</exception>
    internal static void ThrowIfUnrecognized(ReadOnlySpan<byte> header, string source)
    {
        if (!IsPngOrJpeg(header))
        {
            throw Unrecognized(header, source);
        }
    }

    private static bool IsPngOrJpeg(ReadOnlySpan<byte> header) => PngDecoder.IsPng(header) || JpegDecoder.IsJpeg(header);

    private static Exception Unrecognized(ReadOnlySpan<byte> encoded, string source)
    {
        string? format = OtherFormatName(encoded);
        if (format is not null)
        {
            return new NotSupportedException($"{source}: {format} images are not supported; only PNG and JPEG can be decoded.");
        }

        return new InvalidDataException(encoded.IsEmpty
            ? $"{source}: the image data is empty."
            : $"{source}: not a PNG or JPEG file (unrecognized signature {Convert.ToHexString(encoded.Slice(0, Math.Min(8, encoded.Length)))}).");
    }

    /// <summary>Reads a whole PNG or JPEG file from a stream (see <see cref="ReadStream"/>) and decodes it.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPixels"/> is not positive or above <see cref="MaxSupportedPixels"/>.</exception>
    /// <exception cref="InvalidDataException">The data is not a recognized image, is truncated or corrupt, or is over 1 GiB.</exception>
    /// <exception cref="NotSupportedException">The data is a format or a variant of PNG/JPEG this decoder does not handle.</exception>
    /// <exception cref="ImageTooLargeException">The declared dimensions exceed <paramref name="maxPixels"/>.</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    public static RgbImage Decode(Stream stream, int maxPixels = DefaultMaxPixels, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Decode(ReadStream(stream, sourceName ?? DefaultSourceName).Span, maxPixels, sourceName);
    }

    /// <summary>Checks raw pixel dimensions, format, stride and buffer length; returns the bytes of one row of pixels.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive, the stride is shorter than a row, or the format is unknown.</exception>
    /// <exception cref="ArgumentException">A buffer of <paramref name="length"/> bytes is shorter than the dimensions and stride require.</exception>
    internal static long CheckPixelLayout(int length, int width, int height, int stride, PixelFormat format)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        int bytesPerPixel = format switch
        {
            PixelFormat.Rgb24 or PixelFormat.Bgr24 => 3,
            PixelFormat.Rgba32 or PixelFormat.Bgra32 => 4,
            PixelFormat.Gray8 => 1,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown pixel format."),
        };
        long rowBytes = (long)width * bytesPerPixel;
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, rowBytes);
        long needed = ((long)stride * (height - 1)) + rowBytes;
        if (length < needed)
        {
            throw new ArgumentException($"Expected at least {needed} bytes for {width}x{height} {format} pixels with stride {stride}, got {length}.", "pixels");
        }

        return rowBytes;
    }

    /// <summary>Converts raw 8-bit pixels to RGB as Pillow's <c>convert("RGB")</c> does (alpha dropped, gray replicated).</summary>
    /// <param name="pixels">The pixel rows, <paramref name="stride"/> bytes apart.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <param name="stride">The distance in bytes between the starts of two rows, at least one row of pixels.</param>
    /// <param name="format">The pixel layout.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive, the stride is shorter than a row, or the format is unknown.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> is shorter than the dimensions require.</exception>
    public static RgbImage FromPixels(ReadOnlySpan<byte> pixels, int width, int height, int stride, PixelFormat format)
    {
        long rowBytes = CheckPixelLayout(pixels.Length, width, height, stride, format);
        int bytesPerPixel = (int)(rowBytes / width);
        if ((long)width * height > MaxSupportedPixels)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}x{height} exceeds {MaxSupportedPixels} pixels.");
        }

        byte[] rgb = GC.AllocateUninitializedArray<byte>(width * height * 3); // Every row is written below.
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = pixels.Slice(y * stride, (int)rowBytes);
            Span<byte> target = rgb.AsSpan(y * width * 3, width * 3);
            switch (format)
            {
                case PixelFormat.Rgb24:
                    row.CopyTo(target);
                    break;
                case PixelFormat.Gray8:
                    for (int x = 0; x < width; x++)
                    {
                        target[x * 3] = target[(x * 3) + 1] = target[(x * 3) + 2] = row[x];
                    }

                    break;
                default:
                    bool bgr = format is PixelFormat.Bgr24 or PixelFormat.Bgra32;
                    int red = bgr ? 2 : 0, blue = bgr ? 0 : 2;
                    for (int x = 0, at = 0; x < width; x++, at += bytesPerPixel)
                    {
                        target[x * 3] = row[at + red];
                        target[(x * 3) + 1] = row[at + 1];
                        target[(x * 3) + 2] = row[at + blue];
                    }

                    break;
            }
        }

        return new RgbImage(width, height, rgb);
    }

    /// <summary>Names a recognized but unsupported format from its magic bytes, or returns null.</summary>
    internal static string? OtherFormatName(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
        {
            return "GIF";
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return "WebP";
        }

        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8))
        {
            return "TIFF";
        }

        if (data.Length >= 14 && data.StartsWith("BM"u8))
        {
            return "BMP";
        }

        if (data.Length >= 12 && data.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            ReadOnlySpan<byte> brand = data.Slice(8, 4);
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8))
            {
                return "AVIF";
            }

            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8) || brand.SequenceEqual("msf1"u8) || brand.SequenceEqual("heim"u8) || brand.SequenceEqual("heis"u8))
            {
                return "HEIF";
            }
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20]) || data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x4F, 0xFF, 0x51]))
        {
            return "JPEG 2000";
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]) || data.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20]))
        {
            return "JPEG XL";
        }

        if (data.StartsWith("qoif"u8))
        {
            return "QOI";
        }

        if (data.StartsWith("8BPS"u8))
        {
            return "PSD";
        }

        if (data.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x01, 0x00]) && data.Length >= 6)
        {
            return "ICO";
        }

        if (data.Length >= 3 && data[0] == (byte)'P' && data[1] is >= (byte)'1' and <= (byte)'7' && data[2] is (byte)'\n' or (byte)'\r' or (byte)' ' or (byte)'\t')
        {
            return "PNM";
        }

        return null;
    }
}
