namespace Embeddings.Imaging;

/// <summary>One image handed to the library: a file, an encoded PNG or JPEG in memory, or raw 8-bit pixels from any imaging library.</summary>
/// <remarks>
/// Immutable and thread-safe. Files are read when the image is used, so a long list of inputs holds no pixels;
/// memory passed to <see cref="FromBytes"/> or <see cref="FromPixels"/> is referenced, not copied, and must not change
/// until the images are processed. Decoding matches <c>ImageOps.exif_transpose(Image.open(f)).convert("RGB")</c> in Pillow 9.4.
/// </remarks>
public sealed class ImageInput
{
    private readonly string? _path;
    private readonly ReadOnlyMemory<byte> _data;
    private readonly PixelLayout? _layout;

    private ImageInput(string? name, string? path, ReadOnlyMemory<byte> data, PixelLayout? layout)
    {
        Name = name;
        _path = path;
        _data = data;
        _layout = layout;
    }

    /// <summary>Gets the name used in error messages: the file path, the name given at creation, or <see langword="null"/>.</summary>
    /// <remarks>Unnamed inputs are reported by their position in the call, such as <c>image 3</c>.</remarks>
    public string? Name { get; }

    /// <summary>Creates an input that reads a PNG or JPEG file when it is used.</summary>
    /// <param name="path">The file path; it is made absolute now, the file is opened later.</param>
    /// <returns>The input.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or only white space.</exception>
    public static ImageInput FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new ImageInput(path, Path.GetFullPath(path), ReadOnlyMemory<byte>.Empty, null);
    }

    /// <summary>Creates an input from a PNG or JPEG file held in memory.</summary>
    /// <param name="encoded">The whole encoded file; referenced, not copied.</param>
    /// <param name="name">A name for error messages, or <see langword="null"/> to report the input by position.</param>
    /// <returns>The input.</returns>
    public static ImageInput FromBytes(ReadOnlyMemory<byte> encoded, string? name = null) => new(name, null, encoded, null);

    /// <summary>Creates an input by reading a stream from its current position to its end now; the stream is left open.</summary>
    /// <remarks>Reading stops after the first 16 bytes if they are not a PNG or JPEG signature; using the input then reports the format.</remarks>
    /// <param name="stream">A readable stream holding a PNG or JPEG file.</param>
    /// <param name="name">A name for error messages, or <see langword="null"/> to report the input by position.</param>
    /// <returns>The input, holding a copy of the stream's bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> is not readable.</exception>
    /// <exception cref="IOException">Reading the stream fails.</exception>
    /// <exception cref="InvalidDataException">The stream holds more than 1 GiB.</exception>
    public static ImageInput FromStream(Stream stream, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream is not readable.", nameof(stream));
        }

        // A stream that does not start like a PNG or JPEG is not read on (it may never end); decoding reports it.
        return new ImageInput(name, null, ImageDecoder.ReadStream(stream, name ?? "stream"), null);
    }

    /// <summary>Creates an input from raw 8-bit pixels, such as a locked bitmap or a decoded frame from another library.</summary>
    /// <param name="pixels">The pixel rows, top to bottom, <paramref name="stride"/> bytes apart; referenced, not copied.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    /// <param name="stride">The distance in bytes between the starts of two rows, at least one row of pixels.</param>
    /// <param name="format">The pixel layout; alpha is dropped and gray replicated, as Pillow's <c>convert("RGB")</c> does.</param>
    /// <param name="name">A name for error messages, or <see langword="null"/> to report the input by position.</param>
    /// <returns>The input.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive, the stride is shorter than a row, or the format is unknown.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> is shorter than the dimensions and stride require.</exception>
    public static ImageInput FromPixels(ReadOnlyMemory<byte> pixels, int width, int height, int stride, PixelFormat format, string? name = null)
    {
        ImageDecoder.CheckPixelLayout(pixels.Length, width, height, stride, format);
        return new ImageInput(name, null, pixels, new PixelLayout(width, height, stride, format));
    }

    /// <inheritdoc/>
    public override string ToString() => Name ?? (_layout is { } layout ? $"{layout.Width}x{layout.Height} {layout.Format} pixels" : $"{_data.Length} encoded bytes");

    /// <summary>Reads and decodes the image, refusing images above <paramref name="maxPixels"/> before allocating their pixels.</summary>
    /// <param name="maxPixels">The pixel limit.</param>
    /// <param name="fallbackName">The name for messages when the input has none, such as <c>image 3</c>.</param>
    /// <param name="pooled">Whether a decoded file's pixels live in a pooled buffer the caller gives back by disposing the image.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    /// <exception cref="InvalidDataException">The data is not a PNG or JPEG file, is truncated or corrupt, or the file is over 1 GiB.</exception>
    /// <exception cref="NotSupportedException">The data is another image format or an unsupported PNG/JPEG variant.</exception>
    /// <exception cref="ImageTooLargeException">The image has more than <paramref name="maxPixels"/> pixels.</exception>
    internal RgbImage Decode(int maxPixels, string fallbackName, bool pooled = false)
    {
        string source = Name ?? fallbackName;
        if (_path is not null)
        {
            // The decoder needs the whole file; the limit is enforced from the header before the pixels are allocated.
            byte[] encoded = ImageDecoder.ReadFile(_path, source);
            return ImageDecoder.Decode(encoded, maxPixels, source, pooled);
        }

        if (_layout is { } pixels)
        {
            ImageTooLargeException.ThrowIfTooLarge(source, pixels.Width, pixels.Height, maxPixels);
            return ImageDecoder.FromPixels(_data.Span, pixels.Width, pixels.Height, pixels.Stride, pixels.Format);
        }

        return ImageDecoder.Decode(_data.Span, maxPixels, source, pooled);
    }

    private readonly record struct PixelLayout(int Width, int Height, int Stride, PixelFormat Format);
}
