using BenchmarkDotNet.Attributes;
using Embeddings.Imaging;

namespace Embeddings.Benchmarks.Imaging;

/// <summary>Decoding a ~1.5 MP camera-style JPEG and preprocessing it to ViT-B/16's 224×224 pixel_values.</summary>
public class ImagePreprocessingBenchmarks
{
    private byte[] _jpeg = null!;
    private RgbImage _image = null!;
    private ImagePreprocessor _preprocessor = null!;
    private float[] _pixels = null!;

    /// <summary>Reads the photo (bench/make_photo.py) and ViT-B/16's preprocessor_config.json.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _jpeg = File.ReadAllBytes(BenchmarkPaths.RequirePhoto());
        _preprocessor = ImagePreprocessor.Load(Path.Combine(BenchmarkPaths.BenchModel("vit-b16"), "preprocessor_config.json"));
        _image = ImageDecoder.Decode(_jpeg);
        _pixels = new float[_preprocessor.OutputLength];
    }

    /// <summary>JPEG (4:2:0, quality 90) to RGB, as Pillow decodes it.</summary>
    [Benchmark(Baseline = true)]
    public int DecodeJpeg() => ImageDecoder.Decode(_jpeg).Width;

    /// <summary>Bilinear resize to 224×224 (Pillow-exact), rescale and normalize into CHW floats.</summary>
    [Benchmark]
    public void Preprocess() => _preprocessor.Process(_image, _pixels);

    /// <summary>The same decode into a pooled buffer that is given back, as the embedders decode.</summary>
    [Benchmark]
    public int DecodeJpegPooled()
    {
        using RgbImage image = ImageDecoder.Decode(_jpeg, pooled: true);
        return image.Width;
    }

    /// <summary>Both steps, as an embedder does per image (pooled pixel buffer).</summary>
    [Benchmark]
    public void DecodeAndPreprocess()
    {
        using RgbImage image = ImageDecoder.Decode(_jpeg, pooled: true);
        _preprocessor.Process(image, _pixels);
    }
}
