using Embeddings.Imaging;
using Embeddings.Inference;
using Embeddings.Pooling;
using Embeddings.Vision;
using Microsoft.Extensions.AI;

namespace Embeddings.Tests.Vision;

public class ImageEmbedderTests
{
    public static TheoryData<string> Folders() => new() { "vit", "vit-clip", "vit-dinov2" };

    [Theory]
    [MemberData(nameof(Folders))]
    public void EmbedPixelValues_EveryPoolingRawAndNormalized_MatchesPyTorch(string folder)
    {
        // Reference pixel values of a spread of inputs (EXIF-rotated, gray, alpha, progressive, tiny, raw) straight into the model.
        VisionExpectations expected = VisionExpectations.Load(folder);
        int[] chosen = Enumerable.Range(0, expected.Inputs.Count).Where(i => i % 8 == 3).ToArray();
        var pixels = new float[chosen.Length * expected.Length];
        for (int k = 0; k < chosen.Length; k++)
        {
            expected.PixelValues(chosen[k]).CopyTo(pixels, k * expected.Length);
        }

        foreach (ImagePooling pooling in Enum.GetValues<ImagePooling>())
        {
            foreach (bool normalize in new[] { false, true })
            {
                using ImageEmbedder embedder = ImageEmbedder.Create(expected.ModelFolder, new ImageEmbedderOptions { Pooling = pooling, Normalize = normalize, BatchSize = 3 });
                ImageEmbeddingBatch batch = embedder.EmbedPixelValues(pixels, chosen.Length);
                Assert.Equal((chosen.Length, 64), (batch.Count, batch.Dimension));
                string key = Key(pooling, normalize);
                for (int k = 0; k < chosen.Length; k++)
                {
                    VisionExpectations.AssertClose(expected.Pooled(chosen[k], key), batch[k], VisionExpectations.EmbeddingTolerance, $"{folder} {expected.Inputs[chosen[k]].Name} {key}");
                }
            }
        }
    }

    public static TheoryData<string, ImagePooling, bool> EndToEndCases() => new()
    {
        { "vit", ImagePooling.Cls, false },
        { "vit-clip", ImagePooling.Mean, true },
        { "vit-dinov2", ImagePooling.PoolerOutput, false },
    };

    [Theory]
    [MemberData(nameof(EndToEndCases))]
    public void Embed_EveryInputFromFileOrPixels_MatchesPyTorch(string folder, ImagePooling pooling, bool normalize)
    {
        VisionExpectations expected = VisionExpectations.Load(folder);
        using ImageEmbedder embedder = ImageEmbedder.Create(expected.ModelFolder, new ImageEmbedderOptions { Pooling = pooling, Normalize = normalize, BatchSize = 7, MaxDegreeOfParallelism = 2 });
        ImageEmbeddingBatch batch = embedder.Embed(expected.Inputs.Select(input => input.ToImageInput()).ToArray());
        Assert.Equal(expected.Inputs.Count, batch.Count);
        string key = Key(pooling, normalize);
        for (int i = 0; i < batch.Count; i++)
        {
            VisionExpectations.AssertClose(expected.Pooled(i, key), batch[i], VisionExpectations.EmbeddingTolerance, $"{folder} {expected.Inputs[i].Name} {key}");
        }
    }

    [Fact]
    public void EmbedPixelValues_WrongLength_ThrowsNamingTheShape()
    {
        using ImageEmbedder embedder = ImageEmbedder.Create(RepositoryPaths.Model("vit"));
        var exception = Assert.Throws<ArgumentException>(() => embedder.EmbedPixelValues(new float[(3 * 224 * 224) + 1], 1));
        Assert.Contains("3 x 224 x 224", exception.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => embedder.EmbedPixelValues(Array.Empty<float>(), 0));
    }

    [Fact]
    public void Embed_RegisterTokens_MeanSkipsThemAndClsKeepsRowZero()
    {
        VisionExpectations expected = VisionExpectations.Load("vit-registers");
        ImageInput[] images = expected.Inputs.Select(input => input.ToImageInput()).ToArray();
        using ImageEmbedder mean = ImageEmbedder.Create(expected.ModelFolder, new ImageEmbedderOptions { Pooling = ImagePooling.Mean });
        using ImageEmbedder cls = ImageEmbedder.Create(expected.ModelFolder, new ImageEmbedderOptions { Pooling = ImagePooling.Cls, Normalize = true });
        Assert.Equal(4, mean.Settings.RegisterTokens);
        Assert.Equal(32, mean.Dimension);
        ImageEmbeddingBatch means = mean.Embed(images);
        ImageEmbeddingBatch classes = cls.Embed(images);
        for (int i = 0; i < images.Length; i++)
        {
            VisionExpectations.AssertClose(expected.Pooled(i, "mean:raw"), means[i], VisionExpectations.EmbeddingTolerance, $"{expected.Inputs[i].Name} mean");
            VisionExpectations.AssertClose(expected.Pooled(i, "cls:normalized"), classes[i], VisionExpectations.EmbeddingTolerance, $"{expected.Inputs[i].Name} cls");
        }
    }

    [Fact]
    public void Embed_CustomPooler_SeesPatchMaskAndMatchesBuiltIn()
    {
        VisionExpectations expected = VisionExpectations.Load("vit-registers");
        using ImageEmbedder embedder = ImageEmbedder.Create(expected.ModelFolder, new ImageEmbedderOptions { Pooler = new MeanPooler() });
        Assert.Equal(typeof(MeanPooler).FullName, embedder.Settings.CustomPooler);
        float[] vector = embedder.Embed(expected.Inputs[0].ToImageInput());
        VisionExpectations.AssertClose(expected.Pooled(0, "mean:raw"), vector, VisionExpectations.EmbeddingTolerance, "custom MeanPooler");
    }

    [Fact]
    public void Embed_BatchSizesAndOrder_DoNotChangeVectors()
    {
        VisionExpectations expected = VisionExpectations.Load("vit-clip");
        ImageInput[] images = expected.Inputs.Take(9).Select(input => input.ToImageInput()).ToArray();
        using ImageEmbedder one = ImageEmbedder.Create(expected.ModelFolder, new ImageEmbedderOptions { BatchSize = 1, MaxDegreeOfParallelism = 1 });
        using ImageEmbedder four = ImageEmbedder.Create(expected.ModelFolder, new ImageEmbedderOptions { BatchSize = 4 });
        ImageEmbeddingBatch single = one.Embed(images);
        ImageEmbeddingBatch reversed = four.Embed(images.Reverse().ToArray());
        for (int i = 0; i < images.Length; i++)
        {
            VisionExpectations.AssertClose(expected.Pooled(i, "cls:raw"), single[i], VisionExpectations.EmbeddingTolerance, $"batch 1, {i}");
            VisionExpectations.AssertClose(expected.Pooled(i, "cls:raw"), reversed[images.Length - 1 - i], VisionExpectations.EmbeddingTolerance, $"batch 4 reversed, {i}");
        }

        Assert.Equal(images.Length * 64, single.Vectors.Length);
    }

    [Fact]
    public void Embed_ManyThreads_ShareOneEmbedder()
    {
        VisionExpectations expected = VisionExpectations.Load("vit");
        using ImageEmbedder embedder = ImageEmbedder.Create(expected.ModelFolder, new ImageEmbedderOptions { Pooling = ImagePooling.Mean, BatchSize = 2 });
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            int index = (t * 7) % expected.Inputs.Count;
            float[] vector = embedder.Embed(expected.Inputs[index].ToImageInput());
            VisionExpectations.AssertClose(expected.Pooled(index, "mean:raw"), vector, VisionExpectations.EmbeddingTolerance, $"thread {t}");
        });
    }

    [Fact]
    public async Task GenerateAsync_AsEmbeddingGenerator_ReturnsVectorsInOrder()
    {
        VisionExpectations expected = VisionExpectations.Load("vit-dinov2");
        using ImageEmbedder embedder = await ImageEmbedder.CreateAsync(expected.ModelFolder, new ImageEmbedderOptions { Pooling = ImagePooling.PoolerOutput, Normalize = true });
        IEmbeddingGenerator<ImageInput, Embedding<float>> generator = embedder;
        GeneratedEmbeddings<Embedding<float>> result = await generator.GenerateAsync(expected.Inputs.Take(3).Select(input => input.ToImageInput()));
        Assert.Equal(3, result.Count);
        for (int i = 0; i < 3; i++)
        {
            VisionExpectations.AssertClose(expected.Pooled(i, "pooler:normalized"), result[i].Vector.Span, VisionExpectations.EmbeddingTolerance, $"generator {i}");
        }

        var metadata = (EmbeddingGeneratorMetadata?)generator.GetService(typeof(EmbeddingGeneratorMetadata));
        Assert.Equal("vit-dinov2", metadata?.DefaultModelId);
        Assert.Equal(64, metadata?.DefaultModelDimensions);
        Assert.Same(embedder.Settings, generator.GetService(typeof(ImageEmbedderSettings)));
        Assert.Same(embedder.Preprocessor, generator.GetService(typeof(PixelValuesProcessor)));
        await Assert.ThrowsAsync<NotSupportedException>(() => generator.GenerateAsync([expected.Inputs[0].ToImageInput()], new EmbeddingGenerationOptions { Dimensions = 32 }));
    }

    [Fact]
    public async Task EmbedStreamAsync_ManyImages_YieldsEveryResultInOrder()
    {
        VisionExpectations expected = VisionExpectations.Load("vit");
        using ImageEmbedder embedder = ImageEmbedder.Create(expected.ModelFolder, new ImageEmbedderOptions { BatchSize = 3 });
        var results = new List<ImageEmbedding>();
        await foreach (ImageEmbedding result in embedder.EmbedStreamAsync(Stream(expected, 7)))
        {
            results.Add(result);
        }

        Assert.Equal(Enumerable.Range(0, 7).Select(i => (long)i), results.Select(r => r.Index));
        foreach (ImageEmbedding result in results)
        {
            VisionExpectations.AssertClose(expected.Pooled((int)result.Index, "cls:raw"), result.Vector, VisionExpectations.EmbeddingTolerance, $"stream {result.Index}");
        }
    }

    private static async IAsyncEnumerable<ImageInput> Stream(VisionExpectations expected, int count)
    {
        for (int i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return expected.Inputs[i].ToImageInput();
        }
    }

    [Fact]
    public void Create_Defaults_ClsWithoutNormalization()
    {
        using ImageEmbedder embedder = ImageEmbedder.Create(RepositoryPaths.Model("vit"));
        ImageEmbedderSettings settings = embedder.Settings;
        Assert.Equal(ImagePooling.Cls, settings.Pooling);
        Assert.False(settings.Normalize);
        Assert.Equal("ViTImageProcessor", settings.ProcessorType);
        Assert.Equal((224, 224, 64, 0), (settings.ImageHeight, settings.ImageWidth, settings.HiddenSize, settings.RegisterTokens));
        Assert.Equal(RepositoryPaths.Model("vit", "onnx", "model.onnx"), settings.ModelFile);
        Assert.Equal(ImageEmbedderOptions.DefaultBatchSize, settings.BatchSize);
    }

    [Fact]
    public void Create_InvalidOptions_ThrowArgumentOutOfRange()
    {
        string folder = RepositoryPaths.Model("vit");
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageEmbedder.Create(folder, new ImageEmbedderOptions { BatchSize = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageEmbedder.Create(folder, new ImageEmbedderOptions { MaxDegreeOfParallelism = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageEmbedder.Create(folder, new ImageEmbedderOptions { MaxPixels = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageEmbedder.Create(folder, new ImageEmbedderOptions { Pooling = (ImagePooling)42 }));
        Assert.Throws<ArgumentNullException>(() => ImageEmbedder.Create(null!));
    }

    [Fact]
    public void Create_MissingFiles_NameWhatIsMissing()
    {
        using var folder = new TemporaryFolder();
        Assert.Throws<DirectoryNotFoundException>(() => ImageEmbedder.Create(Path.Combine(folder.Path, "absent")));
        var noConfig = Assert.Throws<FileNotFoundException>(() => ImageEmbedder.Create(folder.Path));
        Assert.Contains("preprocessor_config.json", noConfig.Message, StringComparison.Ordinal);

        File.Copy(RepositoryPaths.Model("vit", "preprocessor_config.json"), Path.Combine(folder.Path, "preprocessor_config.json"));
        var noModel = Assert.Throws<FileNotFoundException>(() => ImageEmbedder.Create(folder.Path));
        Assert.Contains("onnx/model.onnx", noModel.Message, StringComparison.Ordinal);

        // A model at the folder root, found under a variant name.
        File.Copy(RepositoryPaths.Model("vit", "onnx", "model.onnx"), Path.Combine(folder.Path, "model_fp32.onnx"));
        using ImageEmbedder embedder = ImageEmbedder.Create(folder.Path, new ImageEmbedderOptions { ModelFileName = "model_fp32.onnx" });
        Assert.Equal(Path.Combine(folder.Path, "model_fp32.onnx"), embedder.Settings.ModelFile);
        Assert.Throws<InvalidDataException>(() => ImageEmbedder.Create(folder.Path, new ImageEmbedderOptions { ModelFileName = "../escape.onnx" }));
    }

    [Fact]
    public void Create_TextModel_ThrowsNamingExpectedAndActualInput()
    {
        using var folder = new TemporaryFolder();
        File.Copy(RepositoryPaths.Model("vit", "preprocessor_config.json"), Path.Combine(folder.Path, "preprocessor_config.json"));
        File.Copy(RepositoryPaths.Model("bert-mean", "onnx", "model.onnx"), Path.Combine(folder.Path, "model.onnx"));
        var exception = Assert.Throws<InvalidDataException>(() => ImageEmbedder.Create(folder.Path));
        Assert.Contains("pixel_values", exception.Message, StringComparison.Ordinal);
        Assert.Contains("input_ids", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_PreprocessorSizeUnlikeGraph_ThrowsNamingBoth()
    {
        using var folder = new TemporaryFolder();
        string config = File.ReadAllText(RepositoryPaths.Model("vit", "preprocessor_config.json")).Replace("\"height\": 224", "\"height\": 192", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder.Path, "preprocessor_config.json"), config);
        File.Copy(RepositoryPaths.Model("vit", "onnx", "model.onnx"), Path.Combine(folder.Path, "model.onnx"));
        var exception = Assert.Throws<InvalidDataException>(() => ImageEmbedder.Create(folder.Path));
        Assert.Contains("192", exception.Message, StringComparison.Ordinal);
        Assert.Contains("224", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_RegisterCountUnlikeGraph_ThrowsNamingTokenCounts()
    {
        using var folder = new TemporaryFolder();
        File.Copy(RepositoryPaths.Model("vit", "preprocessor_config.json"), Path.Combine(folder.Path, "preprocessor_config.json"));
        File.Copy(RepositoryPaths.Model("vit", "onnx", "model.onnx"), Path.Combine(folder.Path, "model.onnx"));
        string config = File.ReadAllText(RepositoryPaths.Model("vit", "config.json")).Replace("\"patch_size\": 16,", "\"patch_size\": 16, \"num_register_tokens\": 4,", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(folder.Path, "config.json"), config);
        var exception = Assert.Throws<InvalidDataException>(() => ImageEmbedder.Create(folder.Path));
        Assert.Contains("197 tokens", exception.Message, StringComparison.Ordinal);
        Assert.Contains("201", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_GraphWithoutImageOutputs_ThrowsNamingExpectedOutputs()
    {
        // fixed_shape.onnx is no image encoder: its input is not pixel_values.
        using var folder = new TemporaryFolder();
        File.Copy(RepositoryPaths.Model("vit", "preprocessor_config.json"), Path.Combine(folder.Path, "preprocessor_config.json"));
        File.Copy(RepositoryPaths.Model("testgraphs", "fixed_shape.onnx"), Path.Combine(folder.Path, "model.onnx"));
        var exception = Assert.Throws<InvalidDataException>(() => ImageEmbedder.Create(folder.Path));
        Assert.Contains("pixel_values", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "image_embeds", 5)]
    [InlineData(ImagePooling.PoolerOutput, "image_embeds", 5)]
    [InlineData(ImagePooling.Cls, "cls", 1024)]
    [InlineData(ImagePooling.Mean, "mean_patches", 1024)]
    public void Embed_ClipGraphWithImageEmbeds_DefaultsToTheProjectedVector(ImagePooling? pooling, string expectedKey, int dimension)
    {
        // A CLIPVisionModelWithProjection-shaped graph (image_embeds + last_hidden_state); numpy computed the outputs
        // from the Pillow-based reference pixel_values of the same image (models/scripts/test_graphs.py).
        using var folder = new TemporaryFolder();
        File.Copy(RepositoryPaths.Model("vit", "preprocessor_config.json"), Path.Combine(folder.Path, "preprocessor_config.json"));
        File.Copy(RepositoryPaths.Model("testgraphs", "clip_projection.onnx"), Path.Combine(folder.Path, "model.onnx"));
        System.Text.Json.JsonElement clip = TestGraphs.Expected.GetProperty("clip_projection");
        float[] vector = [.. clip.GetProperty(expectedKey).EnumerateArray().Select(v => (float)v.GetDouble())];

        using ImageEmbedder embedder = ImageEmbedder.Create(folder.Path, new ImageEmbedderOptions { Pooling = pooling });
        Assert.Equal(pooling is ImagePooling.Cls or ImagePooling.Mean ? "last_hidden_state" : "image_embeds", embedder.Settings.OutputName);
        Assert.Equal(dimension, embedder.Dimension);
        float[] actual = embedder.Embed(ImageInput.FromFile(RepositoryPaths.Model("images", clip.GetProperty("image").GetString()!)));
        // ONNX Runtime's float32 ReduceMean over 50,176 pixels drifts ~1e-5 from numpy's float64; a wrong output is off by ~1.
        VisionExpectations.AssertClose(vector, actual, expectedKey == "image_embeds" ? 5e-5f : 1e-6f, $"clip_projection {expectedKey}");
    }

    public static TheoryData<string, byte[]> BadImages()
    {
        byte[] jpeg = File.ReadAllBytes(RepositoryPaths.Model("images", "jpeg_420.jpg"));
        byte[] png = File.ReadAllBytes(RepositoryPaths.Model("images", "png_rgb8.png"));
        byte[] corruptPng = (byte[])png.Clone();
        for (int i = png.Length / 2; i < (png.Length / 2) + 64; i++)
        {
            corruptPng[i] ^= 0x5A;
        }

        return new TheoryData<string, byte[]>
        {
            { "empty", [] },
            { "truncated jpeg", jpeg[..(jpeg.Length / 2)] },
            { "truncated png", png[..(png.Length / 2)] },
            { "corrupt png", corruptPng },
            { "wrong magic", [.. "GIF89a"u8, 1, 0, 1, 0, 0, 0, 0] },
            { "text", "hello, world"u8.ToArray() },
            { "huge jpeg header", [0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x03, 1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0] },
            { "zero-width png", ZeroWidthPng() },
        };
    }

    [Theory]
    [MemberData(nameof(BadImages))]
    public void Embed_BadImageFile_ThrowsNamingTheFile(string what, byte[] data)
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, what.Replace(' ', '_') + ".img");
        File.WriteAllBytes(path, data);
        using ImageEmbedder embedder = ImageEmbedder.Create(RepositoryPaths.Model("vit"));
        ImageInput good = ImageInput.FromFile(RepositoryPaths.Model("images", "png_rgb8.png"));
        Exception exception = Assert.ThrowsAny<Exception>(() => embedder.Embed([good, ImageInput.FromFile(path), good]));
        Assert.True(exception is InvalidDataException or NotSupportedException or ImageTooLargeException, $"{what}: {exception.GetType().Name}: {exception.Message}");
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);

        Exception unnamed = Assert.ThrowsAny<Exception>(() => embedder.Embed([good, good, ImageInput.FromBytes(data)]));
        Assert.Equal(exception.GetType(), unnamed.GetType());
        Assert.StartsWith("image 2:", unnamed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Embed_MissingFile_ThrowsFileNotFoundNamingIt()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "absent.jpg");
        using ImageEmbedder embedder = ImageEmbedder.Create(RepositoryPaths.Model("vit"));
        var exception = Assert.Throws<FileNotFoundException>(() => embedder.Embed(ImageInput.FromFile(path)));
        Assert.Contains(path, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Embed_InvalidArguments_Throw()
    {
        using ImageEmbedder embedder = ImageEmbedder.Create(RepositoryPaths.Model("vit"));
        Assert.Throws<ArgumentNullException>(() => embedder.Embed((IReadOnlyList<ImageInput>)null!));
        Assert.Throws<ArgumentException>(() => embedder.Embed(Array.Empty<ImageInput>()));
        Assert.Throws<ArgumentException>(() => embedder.Embed([ImageInput.FromBytes(new byte[1]), null!]));
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => embedder.Embed([ImageInput.FromFile(RepositoryPaths.Model("images", "png_rgb8.png"))], canceled.Token));
    }

    [Fact]
    public void Embed_AfterDispose_ThrowsObjectDisposed()
    {
        ImageEmbedder embedder = ImageEmbedder.Create(RepositoryPaths.Model("vit"));
        embedder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => embedder.Embed(ImageInput.FromFile(RepositoryPaths.Model("images", "png_rgb8.png"))));
    }

    private static string Key(ImagePooling pooling, bool normalize) =>
        (pooling switch { ImagePooling.Cls => "cls", ImagePooling.Mean => "mean", _ => "pooler" }) + (normalize ? ":normalized" : ":raw");

    /// <summary>A PNG signature and an IHDR declaring width 0 (with a valid CRC), nothing after it.</summary>
    private static byte[] ZeroWidthPng()
    {
        byte[] ihdr = [(byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 0, 0, 0, 0, 16, 8, 2, 0, 0, 0];
        uint crc = Crc32(ihdr);
        return [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, .. ihdr, (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc];
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, reflected polynomial 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in bytes)
        {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}

/// <summary>A fresh folder under the temporary directory, deleted on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"embeddings-vision-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
