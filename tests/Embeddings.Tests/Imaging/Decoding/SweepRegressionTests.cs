using System.Text.Json;
using Embeddings.Imaging;

namespace Embeddings.Tests.Imaging;

/// <summary>One small file per decoder defect models/scripts/decoder_sweep.py found, against Pillow's outcome for it.</summary>
/// <remarks>Files and expectations come from <c>decoder_sweep.py --write-regressions</c>: Pillow's pixels, or the error Pillow raised.</remarks>
public class SweepRegressionTests
{
    private static string ImagesDirectory => Path.Combine(DecodedReferences.ImagesDirectory, "sweep");

    private static string ExpectedDirectory => Path.Combine(DecodedReferences.DecodedDirectory, "sweep");

    public static TheoryData<string> DecodedByPillow => Names("images");

    public static TheoryData<string> RefusedByPillow => Names("pillow_errors");

    [Theory]
    [MemberData(nameof(DecodedByPillow))]
    public void Decode_FileFromSweep_MatchesPillow(string name)
    {
        byte[] data = File.ReadAllBytes(Path.Combine(ImagesDirectory, name));
        RgbImage image = ImageDecoder.Decode(data, ImageDecoder.DefaultMaxPixels, name);
        DecodedReferences.AssertPixelsEqual(name, DecodedReferences.ReadDecoded(Path.Combine("sweep", name + ".rgb.npy.gz")), image);
    }

    [Theory]
    [MemberData(nameof(RefusedByPillow))]
    public void Decode_FilePillowCannotRead_ThrowsInvalidDataNamingTheSource(string name)
    {
        byte[] data = File.ReadAllBytes(Path.Combine(ImagesDirectory, name));
        var exception = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(data, ImageDecoder.DefaultMaxPixels, name));
        Assert.StartsWith(name + ": ", exception.Message, StringComparison.Ordinal);
    }

    private static TheoryData<string> Names(string list)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ExpectedDirectory, "index.json")));
        var data = new TheoryData<string>();
        foreach (var item in document.RootElement.GetProperty(list).EnumerateArray())
        {
            data.Add(item.GetProperty("name").GetString()!);
        }

        return data;
    }
}
