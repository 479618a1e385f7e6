using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Embeddings.Diagnostics;
using Embeddings.Imaging;
using Embeddings.Inference;
using Embeddings.Numerics;
using Embeddings.Pooling;
using Embeddings.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Vision;

/// <summary>Turns images into embeddings with a ViT-style ONNX encoder, its folder's image processor, and CLS, mean or pooler-output pooling.</summary>
/// <remarks>
/// Thread-safe: one embedder may serve many threads. Each call decodes and preprocesses a batch of images in parallel
/// (bounded by <see cref="ImageEmbedderOptions.MaxDegreeOfParallelism"/>), runs the batch through the model in one
/// NCHW tensor, and returns results in caller order. Pixel values match transformers' <c>load_image</c> and slow image
/// processors (Pillow 9.4); vectors match PyTorch within float32 rounding.
/// Disposal: calls made after <see cref="Dispose"/> throw <see cref="ObjectDisposedException"/>. Disposing while calls are
/// in flight is safe: a model run already started finishes (the native session is released when the last run returns),
/// and a call that reaches its next run after disposal fails with <see cref="ObjectDisposedException"/>; no call ever sees freed memory.
/// </remarks>
public sealed class ImageEmbedder : IEmbeddingGenerator<ImageInput, Embedding<float>>
{
    private readonly VisionModel _model;
    private readonly PixelValuesProcessor _processor;
    private readonly PoolingPipeline? _pooling;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly ILogger _logger;
    private readonly ModelMetrics _metrics;
    private volatile bool _disposed;

    private ImageEmbedder(VisionModel model, PixelValuesProcessor processor, PoolingPipeline? pooling, ImageEmbedderSettings settings, ImageEmbedderOptions options)
    {
        _model = model;
        _processor = processor;
        _pooling = pooling;
        Settings = settings;
        _metadata = new EmbeddingGeneratorMetadata("Embeddings (ONNX Runtime)", null, Path.GetFileName(settings.ModelFolder), settings.Dimension);
        _logger = options.LoggerFactory?.CreateLogger<ImageEmbedder>() ?? NullLogger<ImageEmbedder>.Instance;
        _metrics = new ModelMetrics(options.MeterFactory, _metadata.DefaultModelId!);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            ImageEmbedderLog.Loaded(_logger, settings.ModelFolder, settings.ModelFile, settings.ProcessorType, settings.ImageHeight, settings.ImageWidth, settings.CustomPooler ?? settings.Pooling.ToString(), settings.OutputName, settings.Normalize, settings.Dimension, settings.BatchSize, settings.MaxDegreeOfParallelism);
        }
    }

    /// <summary>Gets the settings resolved from the folder and the options.</summary>
    public ImageEmbedderSettings Settings { get; }

    /// <summary>Gets the embedding length.</summary>
    public int Dimension => Settings.Dimension;

    /// <summary>Gets the preprocessing the embedder applies, for callers who want the pixel values themselves.</summary>
    public PixelValuesProcessor Preprocessor => _processor;

    /// <summary>Opens an image encoder folder.</summary>
    /// <param name="modelPath">A folder with <c>preprocessor_config.json</c>, an ONNX file (<c>onnx/model.onnx</c> or <c>model.onnx</c>) and optionally <c>config.json</c>.</param>
    /// <param name="options">Pooling, normalization, batching and limits.</param>
    /// <returns>The embedder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="modelPath"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (batch size, parallelism, pixel limit, pooling).</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException"><c>preprocessor_config.json</c> or the ONNX file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, names a path outside the folder, or the graph lacks the expected input or outputs; the message names expected and actual.</exception>
    /// <exception cref="NotSupportedException">The image processor or one of its settings is not supported, or the pooling needs an output the model lacks.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime fails to load the model.</exception>
    public static ImageEmbedder Create(string modelPath, ImageEmbedderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        options ??= new ImageEmbedderOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchSize, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxDegreeOfParallelism, nameof(options));
        PixelValuesProcessor.ValidateMaxPixels(options.MaxPixels, nameof(options));
        if (options.Pooling is ImagePooling requested && !Enum.IsDefined(requested))
        {
            throw new ArgumentOutOfRangeException(nameof(options), requested, "Unknown image pooling.");
        }

        ModelFolder folder = ModelFolder.Open(modelPath);
        PixelValuesProcessor processor = PixelValuesProcessor.Create(folder, options.MaxPixels);
        VisionModel model = VisionModel.Open(folder, options.ModelFileName, options.Inference, processor.Height, processor.Width);
        try
        {
            return Build(model, processor, options);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Opens an image encoder folder without blocking the caller.</summary>
    /// <param name="modelPath">The model folder.</param>
    /// <param name="options">Pooling, normalization, batching and limits.</param>
    /// <param name="cancellationToken">Cancels before loading starts.</param>
    /// <returns>The embedder.</returns>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    /// <remarks>Throws what <see cref="Create"/> throws.</remarks>
    public static Task<ImageEmbedder> CreateAsync(string modelPath, ImageEmbedderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        return Task.Run(() => Create(modelPath, options), cancellationToken);
    }

    /// <summary>Embeds one image.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The embedding.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="image"/> is null.</exception>
    /// <remarks>Throws what <see cref="Embed(IReadOnlyList{ImageInput}, CancellationToken)"/> throws.</remarks>
    public float[] Embed(ImageInput image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Embed([image]).ToArray(0);
    }

    /// <summary>Embeds any number of images in one call, batch by batch.</summary>
    /// <param name="images">The images; at least one, none null.</param>
    /// <param name="cancellationToken">Cancels between images and during model runs.</param>
    /// <returns>The embeddings in caller order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="images"/> is null.</exception>
    /// <exception cref="ArgumentException">The list is empty or holds a null.</exception>
    /// <exception cref="FileNotFoundException">A file input does not exist.</exception>
    /// <exception cref="IOException">A file input cannot be read.</exception>
    /// <exception cref="UnauthorizedAccessException">A file input may not be read.</exception>
    /// <exception cref="InvalidDataException">An input is not a PNG or JPEG file, or is truncated or corrupt; the message names the file or the input's index.</exception>
    /// <exception cref="NotSupportedException">An input is another image format or an unsupported PNG/JPEG variant.</exception>
    /// <exception cref="ImageTooLargeException">An input declares more pixels than <see cref="ImageEmbedderOptions.MaxPixels"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime fails or returns an output of an unexpected shape.</exception>
    /// <remarks>When several inputs are bad, the first in list order is reported; no partial result is returned.</remarks>
    public ImageEmbeddingBatch Embed(IReadOnlyList<ImageInput> images, CancellationToken cancellationToken = default)
    {
        ValidateImages(images);
        long start = Stopwatch.GetTimestamp();
        bool timed = _logger.IsEnabled(LogLevel.Debug);
        int count = images.Count;
        int dimension = Dimension;
        var vectors = new float[count * dimension];
        int batchSize = Math.Min(Settings.BatchSize, count);
        int imageLength = _processor.Length;
        float[] pixels = ArrayPool<float>.Shared.Rent(batchSize * imageLength);
        try
        {
            for (int first = 0; first < count; first += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int batch = Math.Min(batchSize, count - first);
                Memory<float> pixelValues = pixels.AsMemory(0, batch * imageLength);
                long preprocessStart = timed ? Stopwatch.GetTimestamp() : 0;
                _processor.ProcessRange(images, first, batch, pixelValues.Span, Settings.MaxDegreeOfParallelism, cancellationToken);
                long runStart = timed ? Stopwatch.GetTimestamp() : 0;
                long poolStart = RunBatch(pixelValues, batch, vectors.AsSpan(first * dimension, batch * dimension), timed, cancellationToken);
                _metrics.RecordImageBatch(batch);
                if (timed)
                {
                    ImageEmbedderLog.BatchRun(_logger, batch, Stopwatch.GetElapsedTime(preprocessStart, runStart).TotalMilliseconds, Stopwatch.GetElapsedTime(runStart, poolStart).TotalMilliseconds, Stopwatch.GetElapsedTime(poolStart).TotalMilliseconds);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pixels);
        }

        _metrics.RecordImageCall(count, start);
        return new ImageEmbeddingBatch(vectors, count, dimension);
    }

    /// <summary>Embeds pixel values the caller prepared, skipping decoding and preprocessing.</summary>
    /// <param name="pixelValues">Channels-first float32 images back to back, <c>count × 3 × height × width</c> with the size of <see cref="Preprocessor"/>; read, never written.</param>
    /// <param name="count">The number of images.</param>
    /// <param name="cancellationToken">Cancels between and during model runs.</param>
    /// <returns>The embeddings in order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive.</exception>
    /// <exception cref="ArgumentException"><paramref name="pixelValues"/> does not hold exactly <paramref name="count"/> images of the model's size.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime fails or returns an output of an unexpected shape.</exception>
    public ImageEmbeddingBatch EmbedPixelValues(ReadOnlyMemory<float> pixelValues, int count, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        int imageLength = _processor.Length;
        if (pixelValues.Length != (long)count * imageLength)
        {
            throw new ArgumentException($"Expected {count} x 3 x {_processor.Height} x {_processor.Width} = {(long)count * imageLength} floats, got {pixelValues.Length}.", nameof(pixelValues));
        }

        int dimension = Dimension;
        var vectors = new float[count * dimension];
        Memory<float> all = MemoryMarshal.AsMemory(pixelValues);
        for (int start = 0; start < count; start += Settings.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int batch = Math.Min(Settings.BatchSize, count - start);
            RunBatch(all.Slice(start * imageLength, batch * imageLength), batch, vectors.AsSpan(start * dimension, batch * dimension), timed: _logger.IsEnabled(LogLevel.Debug), cancellationToken);
        }

        return new ImageEmbeddingBatch(vectors, count, dimension);
    }

    /// <summary>Embeds images on a worker thread.</summary>
    /// <param name="images">The images; at least one, none null.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The embeddings in caller order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="images"/> is null.</exception>
    /// <exception cref="ArgumentException">The list is empty or holds a null.</exception>
    /// <remarks>The task fails with what <see cref="Embed(IReadOnlyList{ImageInput}, CancellationToken)"/> throws.</remarks>
    public Task<ImageEmbeddingBatch> EmbedAsync(IReadOnlyList<ImageInput> images, CancellationToken cancellationToken = default)
    {
        ValidateImages(images);
        return Task.Run(() => Embed(images, cancellationToken), cancellationToken);
    }

    /// <summary>Embeds a stream of images batch by batch, yielding results in input order; for background jobs over many files.</summary>
    /// <param name="images">The images; none null.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>One result per image.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="images"/> is null.</exception>
    /// <exception cref="ArgumentException">An image is null.</exception>
    /// <remarks>
    /// Holds at most one batch of inputs at a time. A bad image stops the enumeration with what
    /// <see cref="Embed(IReadOnlyList{ImageInput}, CancellationToken)"/> throws; results before its batch were already yielded.
    /// </remarks>
    public async IAsyncEnumerable<ImageEmbedding> EmbedStreamAsync(IAsyncEnumerable<ImageInput> images, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var group = new List<ImageInput>(Settings.BatchSize);
        long index = 0;
        await foreach (ImageInput image in images.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (image is null)
            {
                throw new ArgumentException($"Image {index + group.Count} of the stream is null.", nameof(images));
            }

            group.Add(image);
            if (group.Count == Settings.BatchSize)
            {
                ImageEmbeddingBatch batch = await EmbedAsync([.. group], cancellationToken).ConfigureAwait(false);
                for (int i = 0; i < batch.Count; i++)
                {
                    yield return new ImageEmbedding(index + i, batch.ToArray(i));
                }

                index += group.Count;
                group.Clear();
            }
        }

        if (group.Count > 0)
        {
            ImageEmbeddingBatch batch = await EmbedAsync([.. group], cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < batch.Count; i++)
            {
                yield return new ImageEmbedding(index + i, batch.ToArray(i));
            }
        }
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException"><see cref="EmbeddingGenerationOptions.Dimensions"/> asks for another length.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<ImageInput> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is int dimensions && dimensions != Dimension)
        {
            throw new NotSupportedException($"This model produces {Dimension}-dimensional embeddings; {dimensions} were requested.");
        }

        ImageInput[] images = values as ImageInput[] ?? [.. values];
        ImageEmbeddingBatch batch = await EmbedAsync(images, cancellationToken).ConfigureAwait(false);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(batch.Count);
        DateTimeOffset created = DateTimeOffset.UtcNow;
        for (int i = 0; i < batch.Count; i++)
        {
            embeddings.Add(new Embedding<float>(batch.ToArray(i)) { ModelId = _metadata.DefaultModelId, CreatedAt = created });
        }

        return embeddings;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        EmbeddingGeneratorServices.Find(serviceType, serviceKey, this, _metadata, Settings, _processor);

    /// <summary>Releases the ONNX Runtime session once no model run is using it; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        _model.Dispose();
    }

    private static ImageEmbedder Build(VisionModel model, PixelValuesProcessor processor, ImageEmbedderOptions options)
    {
        // A CLIP image tower with projection is used for its image_embeds, the vector CLIP compares with text.
        ImagePooling pooling = options.Pooling
            ?? (model.HasHiddenState && model.PooledOutput != VisionModel.ImageEmbeds ? ImagePooling.Cls : ImagePooling.PoolerOutput);
        bool usesHidden = options.Pooler is not null || pooling != ImagePooling.PoolerOutput;
        if (usesHidden && !model.HasHiddenState)
        {
            string what = options.Pooler is not null ? $"the pooler {options.Pooler.GetType().Name}" : $"{pooling} pooling";
            throw new NotSupportedException($"{model.ModelFile}: {what} needs the output {VisionModel.LastHiddenState}, which the model lacks; use ImagePooling.PoolerOutput.");
        }

        if (!usesHidden && !model.HasPoolerOutput)
        {
            throw new NotSupportedException($"{model.ModelFile}: PoolerOutput pooling needs the output {VisionModel.PoolerOutput} or {VisionModel.ImageEmbeds}, which the model lacks; use Cls or Mean pooling.");
        }

        PoolingPipeline? pipeline = null;
        int dimension;
        if (usesHidden)
        {
            if (model.HiddenSize <= 0)
            {
                throw new InvalidDataException($"{model.ModelFile}: the hidden size of {VisionModel.LastHiddenState} is dynamic in the graph and config.json has no hidden_size.");
            }

            pipeline = options.Pooler is not null
                ? PoolingPipeline.FromPooler(options.Pooler)
                : PoolingPipeline.FromMode(pooling == ImagePooling.Mean ? PoolingMode.Mean : PoolingMode.Cls);
            dimension = pipeline.GetOutputDimension(model.HiddenSize);
        }
        else
        {
            dimension = model.PoolerSize > 0 ? model.PoolerSize : model.PooledOutput == VisionModel.ImageEmbeds ? 0 : model.HiddenSize;
            if (dimension <= 0)
            {
                throw new InvalidDataException($"{model.ModelFile}: the length of {model.PooledOutput} is dynamic in the graph and config.json has no {(model.PooledOutput == VisionModel.ImageEmbeds ? "projection_dim" : "hidden_size")}.");
            }
        }

        var settings = new ImageEmbedderSettings(
            model.Folder.Root,
            model.ModelFile,
            processor.ProcessorType,
            processor.Height,
            processor.Width,
            model.HiddenSize,
            model.RegisterTokens,
            pooling,
            options.Pooler?.GetType().FullName,
            usesHidden ? VisionModel.LastHiddenState : model.PooledOutput!,
            options.Normalize,
            dimension,
            options.BatchSize,
            options.MaxDegreeOfParallelism,
            options.MaxPixels);
        return new ImageEmbedder(model, processor, pipeline, settings, options);
    }

    private void ValidateImages(IReadOnlyList<ImageInput> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (images.Count == 0)
        {
            throw new ArgumentException("At least one image is required.", nameof(images));
        }

        for (int i = 0; i < images.Count; i++)
        {
            if (images[i] is null)
            {
                throw new ArgumentException($"Image {i} is null.", nameof(images));
            }
        }
    }

    /// <summary>Runs one NCHW batch and writes its pooled (and optionally normalized) vectors to <paramref name="destination"/>.</summary>
    /// <returns>The timestamp when the model run ended, or 0 when <paramref name="timed"/> is false.</returns>
    private long RunBatch(Memory<float> pixelValues, int batch, Span<float> destination, bool timed, CancellationToken cancellationToken)
    {
        string output = Settings.OutputName;
        Span<TensorInput> inputs = [TensorInput.Create(VisionModel.PixelValues, pixelValues, batch, 3, _processor.Height, _processor.Width)];
        using InferenceResult result = _model.Session.Run(inputs, [output], cancellationToken);
        long runEnd = timed ? Stopwatch.GetTimestamp() : 0;
        ReadOnlySpan<long> shape = result.GetShape(0);
        ReadOnlySpan<float> values = result.GetData<float>(0);
        int dimension = Dimension;
        if (_pooling is null)
        {
            if (shape.Length != 2 || shape[0] != batch || shape[1] != dimension)
            {
                throw new EmbeddingsException($"{_model.ModelFile}: output '{output}' has shape {Format(shape)}, expected [{batch}, {dimension}].");
            }

            values.CopyTo(destination);
        }
        else
        {
            int hidden = Settings.HiddenSize;
            int firstPatch = 1 + Settings.RegisterTokens;
            if (shape.Length != 3 || shape[0] != batch || shape[2] != hidden || shape[1] <= firstPatch || shape[1] > int.MaxValue / hidden)
            {
                throw new EmbeddingsException($"{_model.ModelFile}: output '{output}' has shape {Format(shape)}, expected [{batch}, tokens > {firstPatch}, {hidden}].");
            }

            int tokens = (int)shape[1];
            long[] mask = ArrayPool<long>.Shared.Rent(batch * tokens);
            try
            {
                // Patch tokens count; the CLS token and the register tokens after it do not.
                Span<long> masks = mask.AsSpan(0, batch * tokens);
                masks.Fill(1);
                for (int b = 0; b < batch; b++)
                {
                    masks.Slice(b * tokens, firstPatch).Clear();
                }

                _pooling.Pool(values, masks, batch, tokens, hidden, destination);
            }
            finally
            {
                ArrayPool<long>.Shared.Return(mask);
            }
        }

        if (Settings.Normalize)
        {
            L2Normalization.NormalizeRowsInPlace(destination, dimension);
        }

        return runEnd;
    }

    private static string Format(ReadOnlySpan<long> shape) => $"[{string.Join(", ", shape.ToArray())}]";
}
