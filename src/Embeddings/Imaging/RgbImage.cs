using System.Buffers;

namespace Embeddings.Imaging;

/// <summary>An 8-bit RGB image, rows top to bottom, three interleaved bytes per pixel, no row padding.</summary>
/// <remarks>
/// Every decoder and raw-pixel input ends here, converted to RGB as Pillow's <c>convert("RGB")</c> does.
/// A pooled image (<see cref="Rent"/>) holds a buffer from <see cref="ArrayPool{T}.Shared"/>, possibly longer than
/// <see cref="Length"/>, and gives it back on <see cref="Dispose"/>: a fresh multi-megabyte array costs a page fault per
/// 4 KiB on first touch (about 1.4 ms for 1.5 MP), more than converting its colors. Disposing an unpooled image does nothing.
/// </remarks>
internal sealed class RgbImage : IDisposable
{
    private bool _pooled;

    public RgbImage(int width, int height, byte[] pixels)
        : this(width, height, pixels, pooled: false)
    {
    }

    private RgbImage(int width, int height, byte[] pixels, bool pooled)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        int length = checked(width * height * 3);
        if (pooled ? pixels.Length < length : pixels.Length != length)
        {
            throw new ArgumentException($"Expected {width}x{height}x3 = {(long)width * height * 3} bytes, got {pixels.Length}.", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
        _pooled = pooled;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Gets the number of pixel bytes, <c>Width * Height * 3</c>.</summary>
    public int Length => Width * Height * 3;

    /// <summary>Gets the pixel bytes, <c>Width * 3</c> per row; for a pooled image the array may be longer than <see cref="Length"/>.</summary>
    public byte[] Pixels { get; private set; }

    /// <summary>Creates an image over a pooled buffer whose contents are undefined; the caller writes every pixel.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive.</exception>
    /// <exception cref="OverflowException">The image has more than <see cref="int.MaxValue"/> bytes.</exception>
    public static RgbImage Rent(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return new RgbImage(width, height, ArrayPool<byte>.Shared.Rent(checked(width * height * 3)), pooled: true);
    }

    /// <summary>Creates an image like <paramref name="model"/>'s: pooled if it is pooled, else over a new uninitialized array.</summary>
    public static RgbImage CreateLike(RgbImage model, int width, int height) =>
        model._pooled ? Rent(width, height) : new RgbImage(width, height, GC.AllocateUninitializedArray<byte>(checked(width * height * 3)));

    /// <summary>Gives a pooled buffer back; the image must not be used afterwards.</summary>
    public void Dispose()
    {
        if (_pooled)
        {
            _pooled = false;
            byte[] pixels = Pixels;
            Pixels = [];
            ArrayPool<byte>.Shared.Return(pixels);
        }
    }
}
