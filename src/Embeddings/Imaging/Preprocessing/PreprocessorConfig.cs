using System.Text.Json;

namespace Embeddings.Imaging;

/// <summary>The settings of a Hugging Face <c>preprocessor_config.json</c>, resolved against the named image processor's defaults.</summary>
/// <remarks>
/// Supported processors (and their legacy <c>*FeatureExtractor</c>, <c>*Fast</c> and <c>*Pil</c> names): <c>ViTImageProcessor</c>,
/// <c>CLIPImageProcessor</c>, <c>BitImageProcessor</c> (DINOv2), <c>DeiTImageProcessor</c>,
/// <c>ConvNextImageProcessor</c>, <c>BeitImageProcessor</c> (BEiT, Data2VecVision) and <c>SiglipImageProcessor</c>. A <c>*Fast</c> name is processed as its PIL-based counterpart, which is what the
/// values are pinned against (the torchvision-based fast processors resize slightly differently, so Python code that
/// loads them with <c>use_fast=True</c> can differ by a level or so per pixel). Keys a processor does not take (a
/// center crop for ViT) are ignored, as its
/// <c>preprocess</c> ignores them. Instances are immutable.
/// </remarks>
internal sealed class PreprocessorConfig
{
    private static readonly double[] ImageNetStandardMean = [0.5, 0.5, 0.5];
    private static readonly double[] ImageNetStandardStd = [0.5, 0.5, 0.5];
    private static readonly double[] OpenAIClipMean = [0.48145466, 0.4578275, 0.40821073];
    private static readonly double[] OpenAIClipStd = [0.26862954, 0.26130258, 0.27577711];

    private readonly double[] _imageMean;
    private readonly double[] _imageStd;

    private PreprocessorConfig(
        ImageProcessorKind kind,
        string processorType,
        bool doResize,
        ImageSize size,
        ResampleFilter resample,
        double cropPct,
        bool doCenterCrop,
        ImageSize cropSize,
        bool doRescale,
        double rescaleFactor,
        bool doNormalize,
        double[] imageMean,
        double[] imageStd,
        bool doConvertRgb)
    {
        Kind = kind;
        ProcessorType = processorType;
        DoResize = doResize;
        Size = size;
        Resample = resample;
        CropPct = cropPct;
        DoCenterCrop = doCenterCrop;
        CropSize = cropSize;
        DoRescale = doRescale;
        RescaleFactor = rescaleFactor;
        DoNormalize = doNormalize;
        _imageMean = imageMean;
        _imageStd = imageStd;
        DoConvertRgb = doConvertRgb;
    }

    /// <summary>Gets the processor family whose <c>preprocess</c> steps apply.</summary>
    public ImageProcessorKind Kind { get; }

    /// <summary>Gets the processor name as the file spells it (<c>image_processor_type</c> or <c>feature_extractor_type</c>).</summary>
    public string ProcessorType { get; }

    /// <summary>Gets a value indicating whether the image is resized (<c>do_resize</c>).</summary>
    public bool DoResize { get; }

    /// <summary>Gets the resize target (<c>size</c>): a fixed height and width, or a shortest edge.</summary>
    public ImageSize Size { get; }

    /// <summary>Gets the Pillow filter used to resize (<c>resample</c>).</summary>
    public ResampleFilter Resample { get; }

    /// <summary>Gets ConvNeXt's <c>crop_pct</c> (0 for other processors).</summary>
    public double CropPct { get; }

    /// <summary>Gets a value indicating whether the resized image is center cropped (<c>do_center_crop</c>).</summary>
    public bool DoCenterCrop { get; }

    /// <summary>Gets the center crop size (<c>crop_size</c>), meaningful when <see cref="DoCenterCrop"/> is set.</summary>
    public ImageSize CropSize { get; }

    /// <summary>Gets a value indicating whether pixel values are multiplied by <see cref="RescaleFactor"/> (<c>do_rescale</c>).</summary>
    public bool DoRescale { get; }

    /// <summary>Gets the factor pixel values are multiplied by (<c>rescale_factor</c>).</summary>
    public double RescaleFactor { get; }

    /// <summary>Gets a value indicating whether pixel values are normalized by mean and standard deviation (<c>do_normalize</c>).</summary>
    public bool DoNormalize { get; }

    /// <summary>Gets the per-channel mean (<c>image_mean</c>), red, green, blue.</summary>
    public ReadOnlySpan<double> ImageMean => _imageMean;

    /// <summary>Gets the per-channel standard deviation (<c>image_std</c>), red, green, blue.</summary>
    public ReadOnlySpan<double> ImageStd => _imageStd;

    /// <summary>Gets a value indicating whether images are converted to RGB first (<c>do_convert_rgb</c>); an <see cref="RgbImage"/> already is.</summary>
    public bool DoConvertRgb { get; }

    /// <summary>Reads a <c>preprocessor_config.json</c> file.</summary>
    /// <remarks>
    /// When the file names no processor, the <c>model_type</c> of the <c>config.json</c> beside it chooses one, as
    /// transformers' <c>AutoImageProcessor</c> does.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not valid JSON, larger than 64 MiB, or a value has the wrong type or range; the message names the file and key.</exception>
    /// <exception cref="NotSupportedException">The processor type or a setting is valid but not supported.</exception>
    public static PreprocessorConfig Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using StreamReader reader = ModelFileReader.OpenText(path);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        return Parse(reader.ReadToEnd(), path, directory is null ? null : () => ReadModelType(directory));
    }

    /// <summary>Parses the text of a <c>preprocessor_config.json</c>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="sourceName">The name errors use for the file.</param>
    /// <param name="modelType">Gives the model's <c>config.json</c> <c>model_type</c> (and that file's name), asked only when the text names no processor.</param>
    /// <exception cref="ArgumentNullException"><paramref name="json"/> or <paramref name="sourceName"/> is null.</exception>
    /// <exception cref="InvalidDataException">The text is not valid JSON or a value has the wrong type or range; the message names the file and key.</exception>
    /// <exception cref="NotSupportedException">The processor type or a setting is valid but not supported.</exception>
    public static PreprocessorConfig Parse(string json, string sourceName, Func<(string? ModelType, string Source)>? modelType = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(sourceName);
        JsonDocument document;
        try
        {
            JsonStrings.ThrowIfUnreadable(System.Text.Encoding.UTF8.GetBytes(json), sourceName);
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{sourceName}: not valid JSON ({exception.Message}).", exception);
        }

        using (document)
        {
            var reader = new ConfigReader(document.RootElement, sourceName);
            return Read(reader, modelType);
        }
    }

    private static PreprocessorConfig Read(ConfigReader reader, Func<(string? ModelType, string Source)>? modelType)
    {
        if (reader.Root.ValueKind != JsonValueKind.Object)
        {
            throw reader.Invalid("$", "a JSON object", reader.Root);
        }

        string typeKey = reader.Root.TryGetProperty("image_processor_type", out JsonElement typeElement) && typeElement.ValueKind != JsonValueKind.Null
            ? "image_processor_type"
            : "feature_extractor_type";
        string processorType = reader.GetString(typeKey) ?? ProcessorFromModelType(reader, modelType, out typeKey);
        ImageProcessorKind kind = KindOf(processorType)
            ?? throw new NotSupportedException($"{reader.Source}: {typeKey} '{processorType}'{ClassNameNote(processorType)} is not supported; expected ViTImageProcessor, CLIPImageProcessor, BitImageProcessor, DeiTImageProcessor, ConvNextImageProcessor, BeitImageProcessor or SiglipImageProcessor.");

        // Constructor defaults of each transformers image processor.
        (ImageSize size, ResampleFilter resample, bool crops, double[] mean, double[] std, bool squareSize) = kind switch
        {
            ImageProcessorKind.ViT => (ImageSize.Fixed(224, 224), ResampleFilter.Bilinear, false, ImageNetStandardMean, ImageNetStandardStd, true),
            ImageProcessorKind.Clip => (ImageSize.Shortest(224), ResampleFilter.Bicubic, true, OpenAIClipMean, OpenAIClipStd, false),
            ImageProcessorKind.Bit => (ImageSize.Shortest(224), ResampleFilter.Bicubic, true, OpenAIClipMean, OpenAIClipStd, false),
            // DeiTImageProcessor.__init__ falls back to IMAGENET_STANDARD_MEAN/STD, not the ImageNet statistics.
            ImageProcessorKind.DeiT => (ImageSize.Fixed(256, 256), ResampleFilter.Bicubic, true, ImageNetStandardMean, ImageNetStandardStd, true),
            ImageProcessorKind.Beit => (ImageSize.Fixed(256, 256), ResampleFilter.Bicubic, true, ImageNetStandardMean, ImageNetStandardStd, true),

            // SigLIP reads an int size as a shortest edge (get_size_dict(default_to_square=False)) and then fails on
            // size["height"], so an int size is refused below as transformers refuses it.
            ImageProcessorKind.Siglip => (ImageSize.Fixed(224, 224), ResampleFilter.Bicubic, false, ImageNetStandardMean, ImageNetStandardStd, false),

            // ConvNextImageProcessor.__init__ defaults to BICUBIC (transformers releases before 4.3x said BILINEAR).
            _ => (ImageSize.Shortest(384), ResampleFilter.Bicubic, false, ImageNetStandardMean, ImageNetStandardStd, false),
        };

        bool doResize = reader.GetBoolean("do_resize") ?? true;
        size = reader.GetSize("size", squareSize) ?? size;
        if (kind == ImageProcessorKind.Clip && size.IsShortestEdge && (reader.GetBoolean("use_square_size") ?? false))
        {
            // CLIPImageProcessor.__init__ keeps this for KOSMOS-2 configs: the shortest edge becomes a square size.
            size = ImageSize.Fixed(size.ShortestEdge, size.ShortestEdge);
        }

        resample = reader.GetResample("resample") ?? resample;
        bool doCenterCrop = crops && (reader.GetBoolean("do_center_crop") ?? true);
        ImageSize cropSize = crops ? reader.GetSize("crop_size", defaultToSquare: true) ?? ImageSize.Fixed(224, 224) : default;
        if (doCenterCrop && cropSize.IsShortestEdge)
        {
            throw new InvalidDataException($"{reader.Source}: expected 'crop_size' to have 'height' and 'width'.");
        }

        double cropPct = 0;
        if (kind == ImageProcessorKind.ConvNext)
        {
            cropPct = reader.GetNumber("crop_pct") ?? 224.0 / 256.0;
            if (!(cropPct > 0) || (size.IsShortestEdge && size.ShortestEdge < 384 && (int)(size.ShortestEdge / cropPct) < 1))
            {
                throw new InvalidDataException($"{reader.Source}: expected 'crop_pct' to be a positive number that keeps shortest_edge / crop_pct at least 1, got {cropPct}.");
            }
        }

        if (doResize)
        {
            bool needsShortest = kind == ImageProcessorKind.ConvNext;
            bool needsFixed = kind is ImageProcessorKind.ViT or ImageProcessorKind.DeiT or ImageProcessorKind.Beit or ImageProcessorKind.Siglip;
            if ((needsShortest && !size.IsShortestEdge) || (needsFixed && size.IsShortestEdge))
            {
                throw new InvalidDataException($"{reader.Source}: expected 'size' to have {(needsShortest ? "'shortest_edge'" : "'height' and 'width'")} for {processorType}.");
            }
        }

        bool doRescale = reader.GetBoolean("do_rescale") ?? true;
        double rescaleFactor = reader.GetNumber("rescale_factor") ?? 1.0 / 255.0;
        bool doNormalize = reader.GetBoolean("do_normalize") ?? true;
        mean = reader.GetChannels("image_mean") ?? mean;
        std = reader.GetChannels("image_std") ?? std;
        foreach (double deviation in std)
        {
            if (deviation == 0 || !double.IsFinite(deviation))
            {
                throw new InvalidDataException($"{reader.Source}: expected 'image_std' to hold finite non-zero numbers, got {deviation}.");
            }
        }

        bool doConvertRgb = reader.GetBoolean("do_convert_rgb") ?? kind is ImageProcessorKind.Clip or ImageProcessorKind.Bit;
        return new PreprocessorConfig(kind, processorType, doResize, size, resample, cropPct, doCenterCrop, cropSize, doRescale, rescaleFactor, doNormalize, mean, std, doConvertRgb);
    }

    private static ImageProcessorKind? KindOf(string processorType)
    {
        // transformers 4.x spells the torchvision processors *Fast; 5.x spells the PIL ones *Pil.
        ReadOnlySpan<char> name = processorType;
        if (name.EndsWith("Fast", StringComparison.Ordinal))
        {
            name = name[..^4];
        }
        else if (name.EndsWith("Pil", StringComparison.Ordinal))
        {
            name = name[..^3];
        }

        if (name.EndsWith("FeatureExtractor", StringComparison.Ordinal))
        {
            name = name[..^"FeatureExtractor".Length];
        }
        else if (name.EndsWith("ImageProcessor", StringComparison.Ordinal))
        {
            name = name[..^"ImageProcessor".Length];
        }
        else
        {
            return null;
        }

        return name switch
        {
            "ViT" => ImageProcessorKind.ViT,
            "CLIP" => ImageProcessorKind.Clip,
            "Bit" => ImageProcessorKind.Bit,
            "DeiT" => ImageProcessorKind.DeiT,
            "ConvNext" => ImageProcessorKind.ConvNext,
            "Beit" => ImageProcessorKind.Beit,
            "Siglip" => ImageProcessorKind.Siglip,
            _ => null,
        };
    }

    /// <summary>AutoImageProcessor's last resort: the processor transformers maps the model's <c>model_type</c> to (IMAGE_PROCESSOR_MAPPING_NAMES).</summary>
    private static string ProcessorFromModelType(ConfigReader reader, Func<(string? ModelType, string Source)>? modelType, out string typeKey)
    {
        if (reader.TryGet("auto_map", out JsonElement autoMap) && autoMap.ValueKind == JsonValueKind.Object && autoMap.TryGetProperty("AutoImageProcessor", out JsonElement custom))
        {
            throw new NotSupportedException($"{reader.Source}: the image processor is custom code (auto_map.AutoImageProcessor {custom.GetRawText()}), which is not supported.");
        }

        (string? type, string source) = modelType?.Invoke() ?? (null, "config.json");
        typeKey = $"model_type of {source}";
        string? processor = type switch
        {
            null => null,
            "vit" or "vit_mae" or "vit_msn" or "swin" or "swinv2" or "dinat" or "nat" or "clipseg" or "swiftformer" or "mgp-str" => "ViTImageProcessor",
            "deit" => "DeiTImageProcessor",
            "clip" or "groupvit" or "xclip" or "git" or "kosmos-2" => "CLIPImageProcessor",
            "dinov2" or "dinov2_with_registers" or "bit" or "focalnet" => "BitImageProcessor",
            "convnext" or "convnextv2" or "cvt" or "regnet" or "resnet" or "van" => "ConvNextImageProcessor",
            "beit" or "data2vec-vision" => "BeitImageProcessor",
            "siglip" => "SiglipImageProcessor",
            _ => type,
        };
        return processor
            ?? throw new InvalidDataException($"{reader.Source}: expected 'image_processor_type' (or the legacy 'feature_extractor_type') naming the image processor, or a {source} whose 'model_type' names the model.");
    }

    /// <summary>Reads <c>model_type</c> from the <c>config.json</c> of a model folder; null when the file is absent or names none.</summary>
    /// <exception cref="InvalidDataException">config.json is a link leading outside the folder, or not valid JSON.</exception>
    private static (string? ModelType, string Source) ReadModelType(string directory)
    {
        if (!Embeddings.Text.ModelFolder.Open(directory).TryResolveFile("config.json", "config.json", out string configPath))
        {
            return (null, configPath);
        }

        using StreamReader text = ModelFileReader.OpenText(configPath);
        try
        {
            using var document = JsonDocument.Parse(text.ReadToEnd(), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("model_type", out JsonElement type)
                && type.ValueKind == JsonValueKind.String
                ? (type.GetString(), configPath)
                : (null, configPath);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{configPath}: not valid JSON ({exception.Message}).", exception);
        }
    }

    private static string ClassNameNote(string processorType)
    {
        // transformers loads a legacy *FeatureExtractor name as the *ImageProcessor class; name that class too.
        const string Legacy = "FeatureExtractor";
        return processorType.EndsWith(Legacy, StringComparison.Ordinal)
            ? $" (class {processorType[..^Legacy.Length]}ImageProcessor)"
            : string.Empty;
    }

    private readonly struct ConfigReader(JsonElement root, string source)
    {
        public JsonElement Root { get; } = root;

        public string Source { get; } = source;

        public InvalidDataException Invalid(string key, string expected, JsonElement actual)
        {
            string text = actual.ValueKind == JsonValueKind.Undefined ? "nothing" : actual.GetRawText();
            if (text.Length > 60)
            {
                text = string.Concat(text.AsSpan(0, 60), "...");
            }

            return new InvalidDataException($"{Source}: expected '{key}' to be {expected}, got {text}.");
        }

        public bool TryGet(string key, out JsonElement value) =>
            Root.TryGetProperty(key, out value) && value.ValueKind != JsonValueKind.Null;

        public string? GetString(string key)
        {
            if (!TryGet(key, out JsonElement value))
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid(key, "a string", value);
        }

        public bool? GetBoolean(string key)
        {
            if (!TryGet(key, out JsonElement value))
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Invalid(key, "true or false", value),
            };
        }

        public double? GetNumber(string key)
        {
            if (!TryGet(key, out JsonElement value))
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double number) && double.IsFinite(number)
                ? number
                : throw Invalid(key, "a finite number", value);
        }

        public ResampleFilter? GetResample(string key)
        {
            if (!TryGet(key, out JsonElement value))
            {
                return null;
            }

            return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int filter) && filter is >= 0 and <= 5
                ? (ResampleFilter)filter
                : throw Invalid(key, "a Pillow resampling filter from 0 to 5", value);
        }

        public double[]? GetChannels(string key)
        {
            if (!TryGet(key, out JsonElement value))
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double single))
            {
                return [single, single, single];
            }

            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != 3)
            {
                throw Invalid(key, "a number or an array of three numbers", value);
            }

            var channels = new double[3];
            for (int channel = 0; channel < 3; channel++)
            {
                JsonElement item = value[channel];
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out channels[channel]) || !double.IsFinite(channels[channel]))
                {
                    throw Invalid($"{key}[{channel}]", "a finite number", item);
                }
            }

            return channels;
        }

        public ImageSize? GetSize(string key, bool defaultToSquare)
        {
            if (!TryGet(key, out JsonElement value))
            {
                return null;
            }

            // transformers' get_size_dict: an int is square or a shortest edge, a pair is (height, width).
            switch (value.ValueKind)
            {
                case JsonValueKind.Number:
                    int edge = Positive(key, value);
                    return defaultToSquare ? ImageSize.Fixed(edge, edge) : ImageSize.Shortest(edge);
                case JsonValueKind.Array when value.GetArrayLength() == 2:
                    return ImageSize.Fixed(Positive($"{key}[0]", value[0]), Positive($"{key}[1]", value[1]));
                case JsonValueKind.Object:
                    // is_valid_size_dict: the non-null keys must form exactly one of the allowed sets.
                    bool hasHeight = TryGetMember(value, "height", out JsonElement height);
                    bool hasWidth = TryGetMember(value, "width", out JsonElement width);
                    bool hasShortest = TryGetMember(value, "shortest_edge", out JsonElement shortest);
                    int keys = 0;
                    foreach (JsonProperty property in value.EnumerateObject())
                    {
                        keys += property.Value.ValueKind == JsonValueKind.Null ? 0 : 1;
                    }

                    if (hasHeight && hasWidth && keys == 2)
                    {
                        return ImageSize.Fixed(Positive($"{key}.height", height), Positive($"{key}.width", width));
                    }

                    bool hasLongest = TryGetMember(value, "longest_edge", out _);
                    if (hasShortest && (keys == 1 || (keys == 2 && hasLongest)))
                    {
                        // CLIP, BiT and ConvNeXt resize by shortest_edge alone and ignore a longest_edge beside it
                        // (their resize passes no max_size to get_resize_output_image_size).
                        return ImageSize.Shortest(Positive($"{key}.shortest_edge", shortest));
                    }

                    if (hasLongest || TryGetMember(value, "max_height", out _))
                    {
                        throw new NotSupportedException($"{Source}: '{key}' with 'longest_edge' or 'max_height'/'max_width' is not supported.");
                    }

                    throw Invalid(key, "an object with exactly 'height' and 'width', or 'shortest_edge' (with an optional 'longest_edge')", value);
                default:
                    throw Invalid(key, "an integer, a [height, width] pair or an object with 'height' and 'width' or 'shortest_edge'", value);
            }
        }

        private static bool TryGetMember(JsonElement element, string name, out JsonElement value) =>
            element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

        private int Positive(string key, JsonElement value) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && number > 0 && number <= 65536
                ? number
                : throw Invalid(key, "a positive integer up to 65536", value);
    }
}
