using System.Diagnostics.Metrics;
using Embeddings.Inference;
using Embeddings.Pooling;
using Microsoft.Extensions.Logging;

namespace Embeddings.Vision;

/// <summary>Settings for an <see cref="ImageEmbedder"/>; every unset property keeps its documented default.</summary>
/// <remarks>The embedder copies and validates these at creation; changing the object later has no effect.</remarks>
public sealed class ImageEmbedderOptions
{
    /// <summary>The default pixel limit: 100 megapixels, refused before decoding.</summary>
    public const int DefaultMaxPixels = 100_000_000;

    /// <summary>The default number of images per model run.</summary>
    public const int DefaultBatchSize = 16;

    /// <summary>Gets or sets how token vectors become one vector; defaults to <see cref="ImagePooling.Cls"/>, or <see cref="ImagePooling.PoolerOutput"/> when the model has no <c>last_hidden_state</c> or has CLIP's <c>image_embeds</c>.</summary>
    public ImagePooling? Pooling { get; set; }

    /// <summary>Gets or sets a custom pooler over <c>last_hidden_state</c> that replaces <see cref="Pooling"/>.</summary>
    /// <remarks>
    /// It receives every token (CLS, register tokens, patches) with a mask of 1 on patch tokens and 0 on the CLS and
    /// register tokens, so <see cref="MeanPooler"/> averages the patches and <see cref="ClsPooler"/> takes the CLS token.
    /// </remarks>
    public ITokenPooler? Pooler { get; set; }

    /// <summary>Gets or sets whether vectors are L2-normalized; defaults to <see langword="false"/> (the model's raw output).</summary>
    public bool Normalize { get; set; }

    /// <summary>Gets or sets the number of images per model run; defaults to <see cref="DefaultBatchSize"/>.</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>Gets or sets how many images of a batch are decoded and preprocessed at once; defaults to the processor count.</summary>
    public int MaxDegreeOfParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Gets or sets the largest number of pixels an input may declare; larger images are refused before decoding.</summary>
    public int MaxPixels { get; set; } = DefaultMaxPixels;

    /// <summary>Gets or sets the ONNX file name to load, e.g. <c>model_quantized.onnx</c>, looked up in <c>onnx/</c> then the folder root.</summary>
    public string? ModelFileName { get; set; }

    /// <summary>Gets or sets ONNX Runtime session settings.</summary>
    public InferenceOptions? Inference { get; set; }

    /// <summary>Gets or sets where the embedder logs: its settings at load (Information) and per-batch timings (Debug).</summary>
    /// <remarks>The category is <c>Embeddings.Vision.ImageEmbedder</c>. Without a factory nothing is logged.</remarks>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets the factory of the <c>Embeddings</c> meter; without one the embedder records on a static meter of that name.</summary>
    /// <remarks>
    /// Instruments, tagged <c>model</c> (folder name) and <c>operation</c> = <c>embed_image</c>: counter
    /// <c>embeddings.images</c>; histograms <c>embeddings.batch.size</c> (images per model run) and
    /// <c>embeddings.duration</c> (seconds per call).
    /// </remarks>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>Returns a shallow copy, so that filling in defaults never changes the caller's object.</summary>
    internal ImageEmbedderOptions Copy() => (ImageEmbedderOptions)MemberwiseClone();
}

/// <summary>How an image embedder turns the encoder's output into one vector per image.</summary>
public enum ImagePooling
{
    /// <summary>The CLS token of <c>last_hidden_state</c> (row 0), after the encoder's final layer norm.</summary>
    Cls = 0,

    /// <summary>The mean of the patch tokens of <c>last_hidden_state</c>, excluding the CLS token and any register tokens.</summary>
    Mean = 1,

    /// <summary>The model's own pooled vector: <c>image_embeds</c> when the graph has it (CLIP with projection, the vector compared with CLIP text embeddings), else <c>pooler_output</c> (for ViT, dense + tanh over CLS; for DINOv2 and CLIP, the layer-normed CLS token).</summary>
    PoolerOutput = 2,
}
