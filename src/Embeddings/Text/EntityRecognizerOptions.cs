using System.Diagnostics.Metrics;
using Embeddings.Inference;
using Microsoft.Extensions.Logging;

namespace Embeddings.Text;

/// <summary>Settings for an <see cref="EntityRecognizer"/>.</summary>
public sealed class EntityRecognizerOptions
{
    /// <summary>Gets or sets the maximum tokens per text, special tokens included; defaults to the tokenizer's or model's limit.</summary>
    public int? MaxLength { get; set; }

    /// <summary>Gets or sets the tokens shared by consecutive windows of a long text; <see langword="null"/> (the default) truncates instead.</summary>
    /// <remarks>With a stride every window is classified and overlapping entities are resolved as the Hugging Face pipeline's <c>stride</c> option does.</remarks>
    public int? Stride { get; set; }

    /// <summary>Gets or sets the padded-token budget per model run; defaults to 1,024.</summary>
    public int BatchTokenBudget { get; set; } = TokenBudgetBatcher.DefaultTokenBudget;

    /// <summary>Gets or sets the most UTF-16 code units a text may have; a longer text is refused with an <see cref="ArgumentException"/> naming its index before it is tokenized. Defaults to <see cref="TextEmbedderOptions.DefaultMaxCharacters"/>.</summary>
    public int MaxCharacters { get; set; } = TextEmbedderOptions.DefaultMaxCharacters;

    /// <summary>Gets or sets the ONNX file name, looked up in <c>onnx/</c> then the folder root.</summary>
    public string? ModelFileName { get; set; }

    /// <summary>Gets or sets ONNX Runtime session settings.</summary>
    public InferenceOptions? Inference { get; set; }

    /// <summary>Gets or sets where the recognizer logs: its settings at load (Information), truncated inputs (Warning, once per call) and per-batch timings (Debug).</summary>
    /// <remarks>The category is <c>Embeddings.Text.EntityRecognizer</c>. Without a factory nothing is logged.</remarks>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Gets or sets the factory of the <c>Embeddings</c> meter; without one the recognizer records on a static meter of that name.</summary>
    /// <remarks>
    /// Instruments, tagged <c>model</c> (folder name) and <c>operation</c> = <c>ner</c>: counters <c>embeddings.texts</c>,
    /// <c>embeddings.tokens</c> and <c>embeddings.truncated</c>; histograms <c>embeddings.batch.size</c>,
    /// <c>embeddings.batch.padding_ratio</c> and <c>embeddings.duration</c>.
    /// </remarks>
    public IMeterFactory? MeterFactory { get; set; }
}
