using System.Runtime.ExceptionServices;
using Embeddings.Imaging;
using Embeddings.Text;

namespace Embeddings.Vision;

/// <summary>Turns images into the channels-first float32 <c>pixel_values</c> a model folder's <c>preprocessor_config.json</c> describes.</summary>
/// <remarks>
/// Matches transformers' <c>load_image</c> (Pillow decode, EXIF transpose, RGB) followed by the slow image processor
/// (ViT, CLIP, BiT/DINOv2, ConvNeXt, DeiT, BEiT/Data2VecVision, SigLIP): Pillow resize, center crop, rescale and normalize.
/// Immutable and thread-safe.
/// </remarks>
public sealed class PixelValuesProcessor
{
    private const string ConfigFileName = "preprocessor_config.json";

    private readonly ImagePreprocessor _preprocessor;

    private PixelValuesProcessor(ImagePreprocessor preprocessor, string configFile, int maxPixels)
    {
        _preprocessor = preprocessor;
        ConfigFile = configFile;
        MaxPixels = maxPixels;
    }

    /// <summary>Gets the configuration file the processor follows.</summary>
    public string ConfigFile { get; }

    /// <summary>Gets the image processor named by the configuration, such as <c>CLIPImageProcessor</c>.</summary>
    public string ProcessorType => _preprocessor.Config.ProcessorType;

    /// <summary>Gets the number of channels of the output: always 3.</summary>
    public int Channels => 3;

    /// <summary>Gets the height of the output planes.</summary>
    public int Height => _preprocessor.OutputHeight;

    /// <summary>Gets the width of the output planes.</summary>
    public int Width => _preprocessor.OutputWidth;

    /// <summary>Gets the number of floats one image produces, <c>3 × Height × Width</c>.</summary>
    public int Length => _preprocessor.OutputLength;

    /// <summary>Gets the largest number of pixels an input may have; larger images are refused before decoding.</summary>
    public int MaxPixels { get; }

    /// <summary>Reads the preprocessing settings of a model folder.</summary>
    /// <param name="modelPath">A model folder holding <c>preprocessor_config.json</c>, or the path of such a file.</param>
    /// <param name="maxPixels">The pixel limit for inputs; defaults to <see cref="ImageEmbedderOptions.DefaultMaxPixels"/>.</param>
    /// <returns>The processor.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="modelPath"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxPixels"/> is not positive or above 700 million.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder has no <c>preprocessor_config.json</c>.</exception>
    /// <exception cref="InvalidDataException">The configuration is malformed; the message names the file and key.</exception>
    /// <exception cref="NotSupportedException">The processor or one of its settings is not supported, or its output size depends on the input.</exception>
    public static PixelValuesProcessor Create(string modelPath, int maxPixels = ImageEmbedderOptions.DefaultMaxPixels)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ValidateMaxPixels(maxPixels);
        if (File.Exists(modelPath))
        {
            string file = Path.GetFullPath(modelPath);
            return new PixelValuesProcessor(ImagePreprocessor.Load(file), file, maxPixels);
        }

        return Create(ModelFolder.Open(modelPath), maxPixels);
    }

    /// <summary>Preprocesses one image into a new array.</summary>
    /// <param name="image">The image.</param>
    /// <returns><see cref="Length"/> floats: the red, green and blue planes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is null.</exception>
    /// <remarks>Throws what <see cref="Process(ImageInput, Span{float})"/> throws.</remarks>
    public float[] Process(ImageInput image)
    {
        var values = new float[Length];
        Process(image, values);
        return values;
    }

    /// <summary>Preprocesses one image into <paramref name="destination"/> as red, green and blue planes.</summary>
    /// <param name="image">The image.</param>
    /// <param name="destination">Receives <see cref="Length"/> floats.</param>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Length"/>.</exception>
    /// <exception cref="FileNotFoundException">A file input does not exist.</exception>
    /// <exception cref="IOException">A file input cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file input may not be read.</exception>
    /// <exception cref="InvalidDataException">The data is not a PNG or JPEG file, or is truncated or corrupt; the message names the input.</exception>
    /// <exception cref="NotSupportedException">The data is another image format or an unsupported PNG/JPEG variant.</exception>
    /// <exception cref="ImageTooLargeException">The image has more than <see cref="MaxPixels"/> pixels.</exception>
    public void Process(ImageInput image, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (destination.Length < Length)
        {
            throw new ArgumentException($"Expected room for {Length} floats (3 x {Height} x {Width}), got {destination.Length}.", nameof(destination));
        }

        using RgbImage decoded = image.Decode(MaxPixels, "image", pooled: true);
        _preprocessor.Process(decoded, destination[..Length]);
    }

    /// <summary>Preprocesses several images into one NCHW buffer, decoding up to <paramref name="maxDegreeOfParallelism"/> images at once.</summary>
    /// <param name="images">The images; none null.</param>
    /// <param name="destination">Receives <see cref="Length"/> floats per image, in order.</param>
    /// <param name="maxDegreeOfParallelism">The most images processed at once; 1 processes them on the calling thread.</param>
    /// <param name="cancellationToken">Cancels between images.</param>
    /// <exception cref="ArgumentNullException"><paramref name="images"/> or one of its items is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is not positive.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    /// <remarks>
    /// When images fail, the failure of the first failing image (in list order) is thrown with its original type and
    /// stack; unnamed inputs are reported as <c>image i</c> by their index.
    /// </remarks>
    public void ProcessBatch(IReadOnlyList<ImageInput> images, Span<float> destination, int maxDegreeOfParallelism = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDegreeOfParallelism);
        long required = (long)images.Count * Length;
        if (destination.Length < required)
        {
            throw new ArgumentException($"Expected room for {required} floats ({images.Count} x 3 x {Height} x {Width}), got {destination.Length}.", nameof(destination));
        }

        for (int i = 0; i < images.Count; i++)
        {
            if (images[i] is null)
            {
                throw new ArgumentNullException(nameof(images), $"Image {i} is null.");
            }
        }

        ProcessRange(images, 0, images.Count, destination, maxDegreeOfParallelism, cancellationToken);
    }

    /// <summary>Creates the processor of an opened model folder.</summary>
    internal static PixelValuesProcessor Create(ModelFolder folder, int maxPixels)
    {
        if (!folder.TryResolveFile(ConfigFileName, ConfigFileName, out string path))
        {
            throw new FileNotFoundException($"{folder.Root}: no {ConfigFileName} in the model folder.", path);
        }

        return new PixelValuesProcessor(ImagePreprocessor.Load(path), path, maxPixels);
    }

    /// <summary>Checks a pixel limit against what the decoders accept.</summary>
    internal static void ValidateMaxPixels(int maxPixels, string parameterName = "maxPixels")
    {
        if (maxPixels <= 0 || maxPixels > ImageDecoder.MaxSupportedPixels)
        {
            throw new ArgumentOutOfRangeException(parameterName, maxPixels, $"The pixel limit must be between 1 and {ImageDecoder.MaxSupportedPixels}.");
        }
    }

    /// <summary>Processes <paramref name="count"/> images starting at <paramref name="start"/> into consecutive blocks of <paramref name="destination"/>.</summary>
    internal void ProcessRange(IReadOnlyList<ImageInput> images, int start, int count, Span<float> destination, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        int length = Length;
        if (count == 1 || maxDegreeOfParallelism == 1)
        {
            for (int i = 0; i < count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ProcessOne(images[start + i], start + i, destination.Slice(i * length, length));
            }

            return;
        }

        // Parallel.For cannot capture a span; the batch buffer is pinned by the caller for the ONNX run anyway.
        unsafe
        {
            fixed (float* target = destination)
            {
                nint address = (nint)target;
                var failures = new Exception?[count];
                var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism, CancellationToken = cancellationToken };
                Parallel.For(0, count, options, i =>
                {
                    try
                    {
                        var slice = new Span<float>((float*)address + ((long)i * length), length);
                        ProcessOne(images[start + i], start + i, slice);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        failures[i] = exception;
                    }
                });

                foreach (Exception? failure in failures)
                {
                    if (failure is not null)
                    {
                        ExceptionDispatchInfo.Throw(failure);
                    }
                }
            }
        }
    }

    private void ProcessOne(ImageInput image, int index, Span<float> destination)
    {
        using RgbImage decoded = image.Decode(MaxPixels, $"image {index}", pooled: true);
        _preprocessor.Process(decoded, destination);
    }
}
