using System.Buffers;
using System.Text;
using Embeddings.Imaging;

namespace Embeddings.Tests.Imaging;

public class ImageDecoderTests
{
    public static TheoryData<string> RawPixelFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var entry in DecodedReferences.RawPixels())
            {
                data.Add(entry.Name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(RawPixelFiles))]
    public void FromPixels_PaddedRows_MatchesPillowConvertRgb(string name)
    {
        var entry = DecodedReferences.RawPixels().Single(e => e.Name == name);
        byte[] buffer = DecodedReferences.ReadImage(name);
        var format = Enum.Parse<PixelFormat>(entry.Format);
        int bytesPerPixel = format switch { PixelFormat.Gray8 => 1, PixelFormat.Rgb24 or PixelFormat.Bgr24 => 3, _ => 4 };

        // The last row needs no padding: pass exactly the bytes the layout requires.
        int needed = (entry.Stride * (entry.Height - 1)) + (entry.Width * bytesPerPixel);
        var image = ImageDecoder.FromPixels(buffer.AsSpan(0, needed), entry.Width, entry.Height, entry.Stride, format);
        DecodedReferences.AssertPixelsEqual(name, DecodedReferences.ReadExpected(name), image);
    }

    [Fact]
    public void FromPixels_BufferTooShort_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => ImageDecoder.FromPixels(new byte[11], 2, 2, 6, PixelFormat.Rgb24));
    }

    [Fact]
    public void FromPixels_StrideShorterThanRow_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDecoder.FromPixels(new byte[64], 4, 2, 15, PixelFormat.Rgba32));
    }

    [Fact]
    public void FromPixels_UnknownFormat_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDecoder.FromPixels(new byte[64], 2, 2, 8, (PixelFormat)42));
    }

    [Theory]
    [InlineData("GIF89a\x01\x00\x01\x00", "GIF")]
    [InlineData("RIFF\x10\x00\x00\x00WEBPVP8 ", "WebP")]
    [InlineData("BM\x3a\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00", "BMP")]
    [InlineData("II*\x00\x08\x00\x00\x00", "TIFF")]
    [InlineData("MM\x00*\x00\x00\x00\x08", "TIFF")]
    [InlineData("\u0000\u0000\u0000\u001Cftypavif\x00\x00\x00\x00", "AVIF")]
    [InlineData("\u0000\u0000\u0000\u0018ftypheic\x00\x00\x00\x00", "HEIF")]
    [InlineData("qoif\x00\x00\x00\x01", "QOI")]
    public void Decode_OtherFormat_ThrowsNotSupportedNamingIt(string header, string format)
    {
        byte[] data = Encoding.Latin1.GetBytes(header);
        var exception = Assert.Throws<NotSupportedException>(() => ImageDecoder.Decode(data, ImageDecoder.DefaultMaxPixels, "file.bin"));
        Assert.Contains(format, exception.Message, StringComparison.Ordinal);
        Assert.Contains("file.bin", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("\x89PNX")]
    public void Decode_UnknownData_ThrowsInvalidData(string text)
    {
        byte[] data = Encoding.Latin1.GetBytes(text);
        var exception = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(data, ImageDecoder.DefaultMaxPixels, "mystery.dat"));
        Assert.Contains("mystery.dat", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Stream_MatchesSpanDecode()
    {
        byte[] jpeg = DecodedReferences.ReadImage("jpeg_420_odd.jpg");
        using var stream = new MemoryStream(jpeg);
        var image = ImageDecoder.Decode(stream, ImageDecoder.DefaultMaxPixels, "jpeg_420_odd.jpg");
        DecodedReferences.AssertPixelsEqual("jpeg_420_odd.jpg", DecodedReferences.ReadExpected("jpeg_420_odd.jpg"), image);
    }

    [Theory]
    [InlineData("jpeg_420_odd.jpg")]
    [InlineData("jpeg_progressive_420.jpg")]
    [InlineData("jpeg_exif6.jpg")]
    [InlineData("png_interlaced_rgb8.png")]
    [InlineData("png_rgb8_exif6.png")]
    public void Decode_PooledOverStaleBuffers_MatchesPillowAndGivesTheBufferBack(string name)
    {
        var expected = DecodedReferences.ReadExpected(name);

        // A pooled buffer holds whatever it last held: poison the buffers this decode will rent, so a byte left unwritten shows.
        byte[][] stale = [ArrayPool<byte>.Shared.Rent(expected.Pixels.Length), ArrayPool<byte>.Shared.Rent(expected.Pixels.Length)];
        foreach (byte[] buffer in stale)
        {
            buffer.AsSpan().Fill(0xA5);
            ArrayPool<byte>.Shared.Return(buffer);
        }

        RgbImage image = ImageDecoder.Decode(DecodedReferences.ReadImage(name), ImageDecoder.DefaultMaxPixels, name, pooled: true);
        DecodedReferences.AssertPixelsEqual(name, expected, image);
        Assert.Equal(expected.Pixels.Length, image.Length);

        image.Dispose();
        Assert.Empty(image.Pixels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(ImageDecoder.MaxSupportedPixels + 1)]
    public void Decode_InvalidPixelLimit_ThrowsArgumentOutOfRange(int maxPixels)
    {
        byte[] png = DecodedReferences.ReadImage("png_one_pixel.png");
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDecoder.Decode(png, maxPixels, "one.png"));
    }

    [Fact]
    public void Decode_HugeDeclaredJpeg_ThrowsTooLargeBeforeAllocating()
    {
        // A JPEG header declaring 65000x65000 with no data behind it: the limit must trip before any allocation.
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xFD, 0xE8, 0xFD, 0xE8, 0x03, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0];
        var exception = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(jpeg, ImageDecoder.DefaultMaxPixels, "huge.jpg"));
        Assert.Equal(65000, exception.Width);
        Assert.Contains("100000000", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_JpegAboveLibjpegMaximumDimension_ThrowsNotSupported()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x10, 0xFF, 0xFF, 0x03, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0];
        var exception = Assert.Throws<NotSupportedException>(() => ImageDecoder.Decode(jpeg, ImageDecoder.DefaultMaxPixels, "wide.jpg"));
        Assert.Contains("65500", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_TruncatedJpeg_ThrowsInvalidData()
    {
        byte[] jpeg = DecodedReferences.ReadImage("jpeg_progressive_420.jpg");
        foreach (int keep in new[] { jpeg.Length - 2, jpeg.Length / 2, 200, 4 })
        {
            Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(jpeg.AsSpan(0, keep), ImageDecoder.DefaultMaxPixels, "cut.jpg"));
        }
    }

    [Fact]
    public void Decode_ArithmeticCodedJpeg_ThrowsNotSupported()
    {
        byte[] jpeg = DecodedReferences.ReadImage("jpeg_444.jpg");
        int sof = jpeg.AsSpan().IndexOf((ReadOnlySpan<byte>)[0xFF, 0xC0]);
        jpeg[sof + 1] = 0xC9;
        var exception = Assert.Throws<NotSupportedException>(() => ImageDecoder.Decode(jpeg, ImageDecoder.DefaultMaxPixels, "arith.jpg"));
        Assert.Contains("arithmetic", exception.Message, StringComparison.Ordinal);
    }
}
