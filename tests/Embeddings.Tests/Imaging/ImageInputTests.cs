using Embeddings.Imaging;

namespace Embeddings.Tests.Imaging;

public class ImageInputTests
{
    [Fact]
    public void FromPixels_EveryFormat_DecodesLikePillowFrombytes()
    {
        foreach ((string name, string format, int width, int height, int stride) in DecodedReferences.RawPixels())
        {
            byte[] data = DecodedReferences.ReadImage(name);
            ImageInput input = ImageInput.FromPixels(data, width, height, stride, Enum.Parse<PixelFormat>(format));
            RgbImage image = input.Decode(ImageDecoder.DefaultMaxPixels, "raw");
            DecodedReferences.AssertPixelsEqual(name, DecodedReferences.ReadExpected(name), image);
        }
    }

    [Fact]
    public void FromPixels_InvalidLayout_ThrowsBeforeUse()
    {
        var pixels = new byte[100];
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageInput.FromPixels(pixels, 0, 5, 30, PixelFormat.Rgb24));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageInput.FromPixels(pixels, 5, -1, 30, PixelFormat.Rgb24));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageInput.FromPixels(pixels, 5, 5, 14, PixelFormat.Rgb24));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageInput.FromPixels(pixels, 5, 5, 20, (PixelFormat)99));
        var shortBuffer = Assert.Throws<ArgumentException>(() => ImageInput.FromPixels(pixels, 5, 5, 21, PixelFormat.Rgba32));
        Assert.Contains("100", shortBuffer.Message, StringComparison.Ordinal);

        // The last row needs only its pixels, not a whole stride.
        ImageInput exact = ImageInput.FromPixels(new byte[(20 * 4) + 15], 5, 5, 20, PixelFormat.Rgb24);
        Assert.Equal(5, exact.Decode(ImageDecoder.DefaultMaxPixels, "exact").Height);
    }

    [Fact]
    public void FromStream_ReadsFromPositionAndLeavesStreamOpen()
    {
        byte[] png = DecodedReferences.ReadImage("png_rgb8.png");
        using var stream = new MemoryStream([0xAB, 0xCD, .. png]);
        stream.Position = 2;
        ImageInput input = ImageInput.FromStream(stream, "upload.png");
        Assert.True(stream.CanRead);
        Assert.Equal("upload.png", input.Name);
        Assert.Equal("upload.png", input.ToString());
        DecodedReferences.AssertPixelsEqual("png_rgb8.png", DecodedReferences.ReadExpected("png_rgb8.png"), input.Decode(ImageDecoder.DefaultMaxPixels, "image 0"));
    }

    [Fact]
    public void FromStream_Unreadable_ThrowsArgument()
    {
        using var stream = new MemoryStream([1, 2, 3]);
        stream.Dispose();
        Assert.Throws<ArgumentException>(() => ImageInput.FromStream(stream));
        Assert.Throws<ArgumentNullException>(() => ImageInput.FromStream(null!));
    }

    [Fact]
    public void FromFile_KeepsTheGivenNameAndReadsLazily()
    {
        string path = Path.Combine(Path.GetTempPath(), $"embeddings-input-{Guid.NewGuid():N}.jpg");
        ImageInput input = ImageInput.FromFile(path);
        Assert.Equal(path, input.Name);
        File.Copy(Path.Combine(DecodedReferences.ImagesDirectory, "jpeg_exif6.jpg"), path);
        try
        {
            DecodedReferences.AssertPixelsEqual("jpeg_exif6.jpg", DecodedReferences.ReadExpected("jpeg_exif6.jpg"), input.Decode(ImageDecoder.DefaultMaxPixels, "image 0"));
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Throws<ArgumentException>(() => ImageInput.FromFile(" "));
        Assert.Throws<ArgumentNullException>(() => ImageInput.FromFile(null!));
    }

    [Fact]
    public void Decode_UnnamedInput_UsesFallbackNameInErrors()
    {
        ImageInput input = ImageInput.FromBytes(new byte[] { 1, 2, 3, 4 });
        Assert.Null(input.Name);
        Assert.Equal("4 encoded bytes", input.ToString());
        var exception = Assert.Throws<InvalidDataException>(() => input.Decode(ImageDecoder.DefaultMaxPixels, "image 5"));
        Assert.StartsWith("image 5:", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromFile_EndlessDevice_FailsFromTheFirstBytes()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Without the signature check the whole 1 GiB limit would be read first, and the message would be about the limit.
        ImageInput input = ImageInput.FromFile("/dev/zero");
        var exception = Assert.Throws<InvalidDataException>(() => input.Decode(ImageDecoder.DefaultMaxPixels, "image 0"));
        Assert.Contains("/dev/zero: not a PNG or JPEG file", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromStream_EndlessOtherFormat_StopsReadingAndNamesTheFormat()
    {
        using var stream = new EndlessStream("GIF89a"u8.ToArray());
        ImageInput input = ImageInput.FromStream(stream, "upload");
        Assert.True(stream.Position <= 4096, $"read {stream.Position} bytes of a stream that is not a PNG or JPEG");
        var exception = Assert.Throws<NotSupportedException>(() => input.Decode(ImageDecoder.DefaultMaxPixels, "image 0"));
        Assert.Contains("upload: GIF", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream of a prefix then zeros without end, which refuses to be read past 64 MiB so a missing check fails instead of hanging.</summary>
    private sealed class EndlessStream(byte[] prefix) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            Assert.True(_position < (64 << 20), "the whole endless stream is being read");
            for (int i = 0; i < buffer.Length; i++)
            {
                buffer[i] = _position + i < prefix.Length ? prefix[_position + i] : (byte)0;
            }

            _position += buffer.Length;
            return buffer.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
