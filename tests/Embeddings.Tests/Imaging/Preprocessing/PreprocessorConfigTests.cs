using Embeddings.Imaging;

namespace Embeddings.Tests.Imaging.Preprocessing;

public class PreprocessorConfigTests
{
    private const string Source = "models/x/preprocessor_config.json";

    [Fact]
    public void Load_ClipConfig_ReadsEveryKey()
    {
        var config = PreprocessorConfig.Load(PreprocessingTestData.PathOf("preprocessor_configs", "clip.json"));

        Assert.Equal(ImageProcessorKind.Clip, config.Kind);
        Assert.True(config.DoResize);
        Assert.Equal(ImageSize.Shortest(224), config.Size);
        Assert.Equal(ResampleFilter.Bicubic, config.Resample);
        Assert.True(config.DoCenterCrop);
        Assert.Equal(ImageSize.Fixed(224, 224), config.CropSize);
        Assert.Equal(0.00392156862745098, config.RescaleFactor);
        Assert.Equal([0.48145466, 0.4578275, 0.40821073], config.ImageMean.ToArray());
        Assert.Equal([0.26862954, 0.26130258, 0.27577711], config.ImageStd.ToArray());
        Assert.True(config.DoConvertRgb);
    }

    [Fact]
    public void Parse_ViTDefaults_MatchTransformersConstructor()
    {
        var config = PreprocessorConfig.Parse("""{"image_processor_type": "ViTImageProcessor", "do_center_crop": true}""", Source);

        Assert.Equal(ImageSize.Fixed(224, 224), config.Size);
        Assert.Equal(ResampleFilter.Bilinear, config.Resample);
        Assert.False(config.DoCenterCrop);
        Assert.True(config.DoRescale);
        Assert.Equal(1.0 / 255.0, config.RescaleFactor);
        Assert.Equal([0.5, 0.5, 0.5], config.ImageMean.ToArray());
    }

    [Theory]
    [InlineData("""{"feature_extractor_type": "ViTFeatureExtractor", "size": 384}""", 384, 384, 0)]
    [InlineData("""{"feature_extractor_type": "CLIPFeatureExtractor", "size": 336}""", 0, 0, 336)]
    [InlineData("""{"image_processor_type": "BitImageProcessor", "size": [300, 200]}""", 300, 200, 0)]
    [InlineData("""{"image_processor_type": "ViTImageProcessorFast", "size": {"height": 32, "width": 48}}""", 32, 48, 0)]
    [InlineData("""{"image_processor_type": "ConvNextImageProcessor"}""", 0, 0, 384)]
    [InlineData("""{"image_processor_type": "CLIPImageProcessorPil"}""", 0, 0, 224)]
    [InlineData("""{"image_processor_type": "DeiTImageProcessor"}""", 256, 256, 0)]
    [InlineData("""{"image_processor_type": "BeitImageProcessor"}""", 256, 256, 0)]
    [InlineData("""{"feature_extractor_type": "BeitFeatureExtractor", "size": 224}""", 224, 224, 0)]
    [InlineData("""{"image_processor_type": "SiglipImageProcessor"}""", 224, 224, 0)]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": 224, "longest_edge": 1333}}""", 0, 0, 224)]
    [InlineData("""{"image_processor_type": "ConvNextImageProcessor", "size": {"shortest_edge": 224, "longest_edge": 1333}}""", 0, 0, 224)]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": 224}, "use_square_size": true}""", 224, 224, 0)]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": 224}, "use_square_size": false}""", 0, 0, 224)]
    public void Parse_SizeForms_FollowGetSizeDict(string json, int height, int width, int shortestEdge)
    {
        Assert.Equal(new ImageSize(height, width, shortestEdge), PreprocessorConfig.Parse(json, Source).Size);
    }

    [Fact]
    public void Parse_UnknownProcessor_ThrowsNotSupportedNamingIt()
    {
        var exception = Assert.Throws<NotSupportedException>(() => PreprocessorConfig.Parse("""{"image_processor_type": "DetrImageProcessor"}""", Source));
        Assert.Contains("DetrImageProcessor", exception.Message, StringComparison.Ordinal);
        Assert.Contains("image_processor_type", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "resample": 7}""", "resample")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "resample": "bicubic"}""", "resample")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "size": {"shortest_edge": -1}}""", "size.shortest_edge")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "size": {"width": 3}}""", "size")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "size": "big"}""", "size")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "size": {"height": 3, "width": 3, "shortest_edge": 3}}""", "size")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "size": {"height": 3, "width": 3, "depth": 3}}""", "size")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "crop_size": {"height": 2.5, "width": 3}}""", "crop_size.height")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "image_mean": [0.5, 0.5]}""", "image_mean")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "image_std": [0.5, "x", 0.5]}""", "image_std[1]")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "image_std": [0.5, 0, 0.5]}""", "image_std")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "do_resize": "yes"}""", "do_resize")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "rescale_factor": true}""", "rescale_factor")]
    [InlineData("""{"image_processor_type": 7}""", "image_processor_type")]
    [InlineData("""{"do_resize": true}""", "image_processor_type")]
    [InlineData("""{"image_processor_type": "ViTImageProcessor", "size": {"shortest_edge": 224}}""", "size")]
    [InlineData("""{"image_processor_type": "ViTImageProcessor", "size": {"shortest_edge": 224, "longest_edge": 300}}""", "size")]
    [InlineData("""{"image_processor_type": "SiglipImageProcessor", "size": 224}""", "size")]
    [InlineData("""{"image_processor_type": "BeitImageProcessor", "size": {"shortest_edge": 224}}""", "size")]
    [InlineData("""{"image_processor_type": "ConvNextImageProcessor", "crop_pct": 0}""", "crop_pct")]
    [InlineData("""{"image_processor_type": "ConvNextImageProcessor", "size": 224, "crop_pct": 1000}""", "crop_pct")]
    [InlineData("""[1, 2]""", "$")]
    [InlineData("""{"image_processor_type": """, "JSON")]
    public void Parse_MalformedValue_ThrowsInvalidDataNamingFileAndKey(string json, string key)
    {
        var exception = Assert.Throws<InvalidDataException>(() => PreprocessorConfig.Parse(json, Source));
        Assert.Contains(Source, exception.Message, StringComparison.Ordinal);
        Assert.Contains(key, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "size": {"longest_edge": 400}}""")]
    [InlineData("""{"image_processor_type": "CLIPImageProcessor", "size": {"max_height": 400, "max_width": 300}}""")]
    public void Parse_LongestEdgeAlone_ThrowsNotSupported(string json)
    {
        var exception = Assert.Throws<NotSupportedException>(() => PreprocessorConfig.Parse(json, Source));
        Assert.Contains("longest_edge", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ConvNextImageProcessor", 3)]
    [InlineData("BeitImageProcessor", 3)]
    [InlineData("SiglipImageProcessor", 3)]
    [InlineData("ViTImageProcessor", 2)]
    public void Parse_NoResample_UsesTransformersConstructorDefault(string processor, int pillowFilter)
    {
        // transformers' __init__ defaults (image_processing_convnext.py: resample=PILImageResampling.BICUBIC = 3).
        Assert.Equal((ResampleFilter)pillowFilter, PreprocessorConfig.Parse($$"""{"image_processor_type": "{{processor}}"}""", Source).Resample);
    }

    [Theory]
    [InlineData("DeiTImageProcessor")]
    [InlineData("ViTImageProcessor")]
    [InlineData("ConvNextImageProcessor")]
    public void Parse_NoMeanOrStd_UsesStandardHalf(string processor)
    {
        // image_processing_deit.py: image_mean defaults to IMAGENET_STANDARD_MEAN, not IMAGENET_DEFAULT_MEAN.
        var config = PreprocessorConfig.Parse($$"""{"image_processor_type": "{{processor}}"}""", Source);
        Assert.Equal([0.5, 0.5, 0.5], config.ImageMean.ToArray());
        Assert.Equal([0.5, 0.5, 0.5], config.ImageStd.ToArray());
    }

    [Fact]
    public void Parse_BeitAndSiglipDefaults_FollowTransformers()
    {
        var beit = PreprocessorConfig.Parse("""{"feature_extractor_type": "BeitFeatureExtractor"}""", Source);
        Assert.Equal(ImageProcessorKind.Beit, beit.Kind);
        Assert.True(beit.DoCenterCrop);
        Assert.Equal(ImageSize.Fixed(224, 224), beit.CropSize);
        Assert.Equal([0.5, 0.5, 0.5], beit.ImageMean.ToArray());

        var siglip = PreprocessorConfig.Parse("""{"image_processor_type": "SiglipImageProcessor", "do_center_crop": true, "crop_size": 100}""", Source);
        Assert.Equal(ImageProcessorKind.Siglip, siglip.Kind);
        Assert.False(siglip.DoCenterCrop);
        Assert.Equal([0.5, 0.5, 0.5], siglip.ImageStd.ToArray());
    }

    [Fact]
    public void Parse_UnknownLegacyFeatureExtractor_NamesTheImageProcessorClass()
    {
        var exception = Assert.Throws<NotSupportedException>(() => PreprocessorConfig.Parse("""{"feature_extractor_type": "DetrFeatureExtractor"}""", Source));
        Assert.Contains("DetrFeatureExtractor", exception.Message, StringComparison.Ordinal);
        Assert.Contains("DetrImageProcessor", exception.Message, StringComparison.Ordinal);
        Assert.Contains(Source, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => PreprocessorConfig.Load(Path.Combine(PreprocessingTestData.Root, "no_such_config.json")));
    }

    [Fact]
    public void Parse_NullValues_UseDefaults()
    {
        var config = PreprocessorConfig.Parse("""{"image_processor_type": "BitImageProcessor", "image_mean": null, "crop_pct": null, "do_convert_rgb": null}""", Source);
        Assert.Equal([0.48145466, 0.4578275, 0.40821073], config.ImageMean.ToArray());
        Assert.True(config.DoConvertRgb);
    }

    [Theory]
    [InlineData("dinov2_with_registers", "Bit")]
    [InlineData("siglip", "Siglip")]
    [InlineData("swin", "ViT")]
    [InlineData("data2vec-vision", "Beit")]
    [InlineData("convnextv2", "ConvNext")]
    public void Parse_NoProcessorNamed_UsesModelTypeAsAutoImageProcessorDoes(string modelType, string expectedKind)
    {
        // models/auto/image_processing_auto.py, IMAGE_PROCESSOR_MAPPING_NAMES.
        var config = PreprocessorConfig.Parse("""{"do_resize": true}""", Source, () => (modelType, "models/x/config.json"));
        Assert.Equal(expectedKind, config.Kind.ToString());
    }

    [Fact]
    public void Parse_ProcessorNamed_IgnoresModelType()
    {
        var config = PreprocessorConfig.Parse("""{"feature_extractor_type": "ViTFeatureExtractor"}""", Source, () => throw new InvalidOperationException("not asked"));
        Assert.Equal(ImageProcessorKind.ViT, config.Kind);
    }

    [Fact]
    public void Parse_NoProcessorAndUnknownModelType_ThrowsNotSupportedNamingConfigJson()
    {
        var exception = Assert.Throws<NotSupportedException>(() => PreprocessorConfig.Parse("{}", Source, () => ("detr", "models/x/config.json")));
        Assert.Contains("detr", exception.Message, StringComparison.Ordinal);
        Assert.Contains("models/x/config.json", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_CustomAutoMapProcessor_ThrowsNotSupported()
    {
        var exception = Assert.Throws<NotSupportedException>(() => PreprocessorConfig.Parse("""{"auto_map": {"AutoImageProcessor": "x--processing.MyProcessor"}}""", Source, () => ("clip", "config.json")));
        Assert.Contains("MyProcessor", exception.Message, StringComparison.Ordinal);
        Assert.Contains(Source, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoProcessorNamed_ReadsModelTypeFromConfigJsonBeside()
    {
        string folder = Directory.CreateTempSubdirectory("preprocessor-config-").FullName;
        try
        {
            string path = Path.Combine(folder, "preprocessor_config.json");
            File.WriteAllText(path, """{"size": {"shortest_edge": 256}, "crop_size": {"height": 224, "width": 224}}""");
            Assert.Throws<InvalidDataException>(() => PreprocessorConfig.Load(path));

            File.WriteAllText(Path.Combine(folder, "config.json"), """{"model_type": "dinov2", "hidden_size": 384}""");
            var config = PreprocessorConfig.Load(path);
            Assert.Equal(ImageProcessorKind.Bit, config.Kind);
            Assert.Equal(ImageSize.Shortest(256), config.Size);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Load_ConfigJsonLinkedOutsideTheFolder_ThrowsInvalidData()
    {
        string outside = Directory.CreateTempSubdirectory("preprocessor-outside-").FullName;
        string folder = Directory.CreateTempSubdirectory("preprocessor-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(outside, "config.json"), """{"model_type": "vit"}""");
            File.CreateSymbolicLink(Path.Combine(folder, "config.json"), Path.Combine(outside, "config.json"));
            string path = Path.Combine(folder, "preprocessor_config.json");
            File.WriteAllText(path, "{}");

            var exception = Assert.Throws<InvalidDataException>(() => PreprocessorConfig.Load(path));
            Assert.Contains("outside the model folder", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            Directory.Delete(outside, recursive: true);
        }
    }
}
