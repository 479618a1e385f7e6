using Embeddings.Imaging;

namespace Embeddings.Tests.Imaging;

public class ExifOrientationTests
{
    public static TheoryData<string> ExifImages
    {
        get
        {
            var data = DecodedReferences.Names("jpeg_exif");
            foreach (string name in new[] { "jpeg_xmp_only.jpg", "png_rgb8_exif6.png", "png_xmp_orientation6.png", "png_exif1_xmp6.png", "png_raw_profile_exif8.png" })
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ExifImages))]
    public void Decode_ExifOrientation_MatchesPillowExifTranspose(string name)
    {
        // Pillow's reference is ImageOps.exif_transpose(...).convert("RGB"); orientations 5-8 swap width and height.
        var image = ImageDecoder.Decode(DecodedReferences.ReadImage(name), ImageDecoder.DefaultMaxPixels, name);
        DecodedReferences.AssertPixelsEqual(name, DecodedReferences.ReadExpected(name), image);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Apply_ImageWiderThanOneTile_MatchesTiffOrientationDefinition(int orientation)
    {
        // 150x70: a transposed result spans several 64-pixel tiles and ends with a partial one.
        const int Width = 150, Height = 70;
        var pixels = new byte[Width * Height * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i * 7) + (i / 251));
        }

        RgbImage result = ExifOrientation.Apply(new RgbImage(Width, Height, (byte[])pixels.Clone()), orientation);

        bool swap = orientation >= 5;
        Assert.Equal(swap ? Height : Width, result.Width);
        Assert.Equal(swap ? Width : Height, result.Height);
        for (int y = 0; y < result.Height; y++)
        {
            for (int x = 0; x < result.Width; x++)
            {
                // TIFF 6.0 / EXIF: where the stored image's pixel lands once displayed upright.
                (int sx, int sy) = orientation switch
                {
                    2 => (Width - 1 - x, y),
                    3 => (Width - 1 - x, Height - 1 - y),
                    4 => (x, Height - 1 - y),
                    5 => (y, x),
                    6 => (y, Height - 1 - x),
                    7 => (Width - 1 - y, Height - 1 - x),
                    _ => (Width - 1 - y, x),
                };
                for (int c = 0; c < 3; c++)
                {
                    Assert.Equal(pixels[(((sy * Width) + sx) * 3) + c], result.Pixels[(((y * result.Width) + x) * 3) + c]);
                }
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0 }, 6)]
    [InlineData(new byte[] { (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 3, 0, 0 }, 3)]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 9, 0, 0, 0 }, 1)]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 200, 0, 0, 0 }, ExifOrientation.Absent)]
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 40, 0, 0x12, 0x01 }, ExifOrientation.Absent)]
    [InlineData(new byte[] { 1, 2, 3 }, ExifOrientation.Absent)]
    public void Read_TiffBlock_ReturnsOrientationOrAbsent(byte[] tiff, int expected)
    {
        Assert.Equal(expected, ExifOrientation.Read(tiff));
    }

    [Theory]
    [InlineData("<x tiff:Orientation=\"6\"/>", 6)]
    [InlineData("<tiff:Orientation>8</tiff:Orientation>", 8)]
    [InlineData("tiff:Orientation='6' tiff:Orientation=\"3\"", 3)]
    [InlineData("<x/>", ExifOrientation.Absent)]
    public void ReadXmp_Packet_FindsPillowsPattern(string xmp, int expected)
    {
        Assert.Equal(expected, ExifOrientation.ReadXmp(System.Text.Encoding.UTF8.GetBytes(xmp)));
    }
}
