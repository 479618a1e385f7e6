using System.Diagnostics.Metrics;
using Embeddings.Inference;
using Embeddings.Pooling;
using Microsoft.Extensions.Logging;

namespace Embeddings.Text;

/// <summary>Settings that override what a model folder configures; every unset property keeps the folder's value.</summary>
/// <remarks>The embedder copies and validates these at creation; changing the object later has no effect.</remarks>
public sealed class TextEmbedderOptions
{
    /// <summary>The default character limit per text: one million UTF-16 code units.</summary>
    public const int DefaultMaxCharacters = 1_000_000;

    /// <summary>Gets or sets the pooling modes, replacing <c>1_Pooling/config.json</c>; <see cref="PoolingMode.None"/> means per-token output.</summary>
    public PoolingMode? Pooling { get; set; }

    /// <summary>Gets or sets a custom pooler that replaces the built-in modes.</summary>
    public ITokenPooler? Pooler { get; set; }

    /// <summary>Gets or sets whether vectors are L2-normalized, replacing the folder's <c>Normalize</c> module.</summary>
    public bool? Normalize { get; set; }

    /// <summary>Gets or sets the maximum tokens per sequence, special tokens included, replacing <c>max_seq_length</c>.</summary>
    public int? MaxLength { get; set; }

    /// <summary>Gets or sets the padded-token budget per model run (longest × count); defaults to 1,024.</summary>
    public int BatchTokenBudget { get; set; } = TokenBudgetBatcher.DefaultTokenBudget;

    /// <summary>Gets or sets what happens to a text longer than <see cref="MaxLength"/>; defaults to <see cref="LongTextPolicy.Truncate"/>.</summary>
    public LongTextPolicy LongText { get; set; } = LongTextPolicy.Truncate;

    /// <summary>Gets or sets how many tokens consecutive chunks share under <see cref="LongTextPolicy.Chunk"/>; defaults to 32.</summary>
    public int ChunkOverlap { get; set; } = 32;

    /// <summary>Gets or sets whether prompt tokens take part in pooling, replacing the pooling config's <c>include_prompt</c>.</summary>
    public bool? IncludePrompt { get; set; }

    /// <summary>Gets or sets the prompt applied when a call names none, replacing <c>default_prompt_name</c>.</summary>
    public string? DefaultPromptName { get; set; }

    /// <summary>Gets or sets the most UTF-16 code units a text may have; a longer text is refused with an <see cref="ArgumentException"/> naming its index before it is tokenized. Defaults to <see cref="DefaultMaxCharacters"/>.</summary>
    /// <remarks>The limit bounds the memory and time one text costs whatever the long-text policy; the token limit (<see cref="MaxLength"/>) applies after it.</remarks>
    public int MaxCharacters { get; set; } = DefaultMaxCharacters;

    /// <summary>Gets or sets the ONNX file name to load, e.g. <c>model_quantized.onnx</c>, looked up in <c>onnx/</c> then the folder root.</summary>
    public string? ModelFileName { get; set; }

    /// <summary>Gets or sets ONNX Runtime session settings.</summary>
    public InferenceOptions? Inference { get; set; }

    /// <summary>Gets or sets where the embedder logs: its settings at load (Information), truncated inputs (Warning, once per call) and per-batch timings (Debug).</summary>
    /// <remarks>The category is <c>Embeddings.Text.TextEmbedder</c>. Without a factory nothing is logged.</remarks>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets the factory of the <c>Embeddings</c> meter; without one the embedder records on a static meter of that name.</summary>
    /// <remarks>
    /// Instruments, tagged <c>model</c> (folder name) and <c>operation</c> (<c>embed</c> or <c>embed_tokens</c>):
    /// counters <c>embeddings.texts</c>, <c>embeddings.tokens</c> (real tokens, padding excluded) and
    /// <c>embeddings.truncated</c>; histograms <c>embeddings.batch.size</c> (sequences per model run),
    /// <c>embeddings.batch.padding_ratio</c> (padding tokens / real tokens per run) and <c>embeddings.duration</c>
    /// (seconds per call).
    /// </remarks>
    public IMeterFactory? MeterFactory { get; set; }

    /// <summary>Returns a shallow copy, so that filling in defaults never changes the caller's object.</summary>
    internal TextEmbedderOptions Copy() => (TextEmbedderOptions)MemberwiseClone();
}
