using System.Runtime.InteropServices;
using Embeddings.Imaging;
using Embeddings.Inference;
using Embeddings.Numerics;
using Embeddings.Text;

namespace Embeddings.Encoders;

/// <summary>Embeds with any ONNX model that takes one float tensor (a CNN, an autoencoder, a ViT): runs it, takes a
/// named output and pools it to one vector per batch item.</summary>
/// <remarks>
/// Safe to use from many threads at once. ONNX Runtime returns graph outputs only, so an intermediate layer must be
/// exported as an extra graph output (see <see cref="TensorEncoderOptions.OutputName"/>). When the model folder holds a
/// <c>preprocessor_config.json</c>, <see cref="EncodeImageFiles"/> decodes and preprocesses images exactly as the
/// Hugging Face processor it names.
/// </remarks>
public sealed class TensorEncoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly ImagePreprocessor? _preprocessor;
    private readonly bool _normalize;

    private TensorEncoder(InferenceSession session, string inputName, string outputName, TensorPooling pooling, bool normalize, ImagePreprocessor? preprocessor)
    {
        _session = session;
        InputName = inputName;
        OutputName = outputName;
        Pooling = pooling;
        _normalize = normalize;
        _preprocessor = preprocessor;
    }

    /// <summary>Gets the input fed by <see cref="Encode"/>.</summary>
    public string InputName { get; }

    /// <summary>Gets the output that is pooled.</summary>
    public string OutputName { get; }

    /// <summary>Gets the pooling.</summary>
    public TensorPooling Pooling { get; }

    /// <summary>Gets the ONNX file that was loaded.</summary>
    public string ModelPath => _session.Source;

    /// <summary>Gets a value indicating whether a <c>preprocessor_config.json</c> was found, so images can be encoded.</summary>
    public bool CanEncodeImages => _preprocessor is not null;

    /// <summary>Loads a model folder (<c>onnx/model.onnx</c> or <c>model.onnx</c>, plus an optional
    /// <c>preprocessor_config.json</c>) or an ONNX file.</summary>
    /// <param name="model">A folder or an .onnx file.</param>
    /// <param name="options">Output, input, pooling and runtime options; null for defaults.</param>
    /// <returns>The encoder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    /// <exception cref="FileNotFoundException">No model file was found.</exception>
    /// <exception cref="ArgumentException">The input or output name is missing (the model has several) or unknown; the
    /// message lists the model's names.</exception>
    /// <exception cref="NotSupportedException">The input or output is not a float32 tensor.</exception>
    /// <exception cref="InvalidDataException">The preprocessor configuration is malformed.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime rejected the model.</exception>
    public static TensorEncoder Create(string model, TensorEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        TensorEncoderOptions settings = (options ?? new TensorEncoderOptions()).Validated();
        (string onnxPath, string? preprocessorPath) = LocateFiles(model);
        InferenceSession session = InferenceSession.Create(onnxPath, settings.Inference);
        try
        {
            NodeInfo input = Choose(session.Inputs, settings.InputName, "input", onnxPath);
            NodeInfo output = Choose(session.Outputs, settings.OutputName, "output", onnxPath);
            ImagePreprocessor? preprocessor = preprocessorPath is null ? null : ImagePreprocessor.Load(preprocessorPath);
            return new TensorEncoder(session, input.Name, output.Name, settings.Pooling, settings.Normalize, preprocessor);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs the model on a batch and pools the output.</summary>
    /// <param name="input">The input tensor's elements, row-major; read in place, never copied or written.</param>
    /// <param name="shape">The input's shape; the first axis is the batch.</param>
    /// <returns>One vector per batch item.</returns>
    /// <exception cref="ArgumentException">The shape is empty or does not match the input's length.</exception>
    /// <exception cref="NotSupportedException">The pooling does not apply to the output's rank (CLS on a 4-D output).</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime rejected the input or failed, or the output's batch differs from the input's.</exception>
    public TensorEmbeddings Encode(ReadOnlyMemory<float> input, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length == 0)
        {
            throw new ArgumentException("The input needs a batch axis.", nameof(shape));
        }

        Memory<float> memory = MemoryMarshal.AsMemory(input);
        using InferenceResult result = _session.Run([TensorInput.Create(InputName, memory, shape)], [OutputName]);
        ReadOnlySpan<long> outputShape = result.GetShape(0);
        if (outputShape.Length == 0 || outputShape[0] != shape[0])
        {
            throw new EmbeddingsException($"{ModelPath}: output '{OutputName}' has shape [{string.Join(", ", outputShape.ToArray())}], not a batch of {shape[0]} like the input.");
        }

        int dimension = OutputPooling.GetDimension(Pooling, outputShape, OutputName);
        int count = (int)shape[0];
        var vectors = new float[(long)count * dimension];
        OutputPooling.Pool(Pooling, result.GetData<float>(0), outputShape, vectors, OutputName);
        if (_normalize)
        {
            L2Normalization.NormalizeRowsInPlace(vectors, dimension);
        }

        return new TensorEmbeddings(vectors, count, dimension, outputShape.ToArray());
    }

    /// <summary>Decodes PNG/JPEG files, preprocesses them as the model's <c>preprocessor_config.json</c> says, and encodes them as one batch.</summary>
    /// <param name="paths">The image files.</param>
    /// <returns>One vector per image, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="paths"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="paths"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The model has no <c>preprocessor_config.json</c>.</exception>
    /// <exception cref="InvalidDataException">An image is corrupt; the message names it.</exception>
    /// <exception cref="NotSupportedException">An image format is not supported.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime failed.</exception>
    public TensorEmbeddings EncodeImageFiles(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return EncodeImages(paths.Count, i => ImageDecoder.Decode(ImageDecoder.ReadFile(paths[i], paths[i]), sourceName: paths[i], pooled: true));
    }

    /// <summary>Decodes PNG/JPEG images held in memory, preprocesses them as the model's <c>preprocessor_config.json</c>
    /// says, and encodes them as one batch.</summary>
    /// <param name="images">The encoded images (whole files).</param>
    /// <returns>One vector per image, in order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="images"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="images"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">The model has no <c>preprocessor_config.json</c>.</exception>
    /// <exception cref="InvalidDataException">An image is corrupt; the message names its index.</exception>
    /// <exception cref="NotSupportedException">An image format is not supported.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime failed.</exception>
    public TensorEmbeddings EncodeImages(IReadOnlyList<ReadOnlyMemory<byte>> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        return EncodeImages(images.Count, i => ImageDecoder.Decode(images[i].Span, sourceName: $"image {i}", pooled: true));
    }

    private TensorEmbeddings EncodeImages(int count, Func<int, RgbImage> decode)
    {
        if (count == 0)
        {
            throw new ArgumentException("No images given.", "images");
        }

        ImagePreprocessor preprocessor = _preprocessor
            ?? throw new InvalidOperationException($"{ModelPath}: the model has no preprocessor_config.json next to it, so images cannot be preprocessed.");
        int length = preprocessor.OutputLength;
        var pixels = new float[(long)count * length];
        for (int i = 0; i < count; i++)
        {
            using RgbImage image = decode(i);
            preprocessor.Process(image, pixels.AsSpan(i * length, length));
        }

        return Encode(pixels, count, 3, preprocessor.OutputHeight, preprocessor.OutputWidth);
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();

    private static (string Onnx, string? Preprocessor) LocateFiles(string model)
    {
        string full = Path.GetFullPath(model);
        string onnx;
        string folder;
        if (File.Exists(full))
        {
            onnx = full;
            folder = Path.GetDirectoryName(full)!;
            if (string.Equals(Path.GetFileName(folder), "onnx", StringComparison.Ordinal) && !File.Exists(Path.Combine(folder, "preprocessor_config.json")))
            {
                folder = Path.GetDirectoryName(folder)!;
            }
        }
        else if (Directory.Exists(full))
        {
            // Model folders are data: files that are links leading outside the folder are refused.
            folder = full;
            onnx = ModelFolder.Open(full).FindOnnxModel(null, "model file");
        }
        else
        {
            throw new FileNotFoundException($"Model '{full}' is neither a folder nor a file.", full);
        }

        return (onnx, ModelFolder.Open(folder).TryResolveFile("preprocessor_config.json", "preprocessor_config.json", out string preprocessor) ? preprocessor : null);
    }

    private static NodeInfo Choose(IReadOnlyList<NodeInfo> nodes, string? name, string kind, string path)
    {
        string names = string.Join(", ", nodes.Select(n => $"'{n.Name}'"));
        NodeInfo chosen;
        if (name is null)
        {
            chosen = nodes.Count == 1
                ? nodes[0]
                : throw new ArgumentException($"{path}: the model has {nodes.Count} {kind}s ({names}); name the {kind} to use.", kind == "input" ? "InputName" : "OutputName");
        }
        else
        {
            chosen = nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal))
                ?? throw new ArgumentException($"{path}: the model has no {kind} '{name}'; its {kind}s are {names}. An intermediate tensor must be exported as an extra graph output to be read.", kind == "input" ? "InputName" : "OutputName");
        }

        if (!chosen.IsTensor || chosen.ElementType != TensorElementType.Float)
        {
            throw new NotSupportedException($"{path}: {kind} '{chosen.Name}' is {(chosen.IsTensor ? chosen.ElementType.ToString() : "not a tensor")}; the tensor encoder handles float32 {kind}s.");
        }

        return chosen;
    }
}
