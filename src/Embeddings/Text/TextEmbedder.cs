using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Embeddings.Diagnostics;
using Embeddings.Inference;
using Embeddings.Numerics;
using Embeddings.Pooling;
using Embeddings.Tokenization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Text;

/// <summary>Turns texts into embeddings with a BERT-style ONNX encoder and the pooling, Dense and normalization its folder configures.</summary>
/// <remarks>
/// Thread-safe: one embedder may serve many threads; each call tokenizes once, sorts its texts by length, runs
/// batches bounded by a token budget and returns results in caller order. Vectors match sentence-transformers,
/// including for an empty or whitespace-only text, which is embedded as <c>[CLS] [SEP]</c> as sentence-transformers does.
/// Vectors are float32: against PyTorch's float64 reference elements agree within 1e-5, except that sum-like poolings
/// (<see cref="PoolingMode.MeanSqrtLen"/>) scale the encoder's float32 error by √tokens on long texts.
/// Disposal: calls made after <see cref="Dispose"/> throw <see cref="ObjectDisposedException"/>. Disposing while calls are
/// in flight is safe: a model run already started finishes (the native session is released when the last run returns),
/// and a call that reaches its next run after disposal fails with <see cref="ObjectDisposedException"/>; no call ever sees freed memory.
/// </remarks>
public sealed class TextEmbedder : IEmbeddingGenerator<string, Embedding<float>>
{
    private const int StreamGroupSize = 256;

    private readonly TextModel _model;
    private readonly PoolingPipeline _pooling;
    private readonly DenseLayer?[] _postPooling;
    private readonly bool _normalizeTokens;
    private readonly TokenBudgetBatcher _batcher;
    private readonly TruncationOptions _truncation;
    private readonly EmbeddingGeneratorMetadata _metadata;
    private readonly int _pooledDimension;
    private readonly int _widestStep;
    private readonly ILogger _logger;
    private readonly ModelMetrics _metrics;
    private volatile bool _disposed;

    private TextEmbedder(TextModel model, PoolingPipeline pooling, DenseLayer?[] postPooling, bool normalizeTokens, TextEmbedderSettings settings, int pooledDimension, TextEmbedderOptions options)
    {
        _model = model;
        _pooling = pooling;
        _postPooling = postPooling;
        _normalizeTokens = normalizeTokens;
        Settings = settings;
        _pooledDimension = pooledDimension;
        _batcher = new TokenBudgetBatcher(settings.BatchTokenBudget);
        _truncation = new TruncationOptions { MaxLength = settings.MaxLength, Stride = settings.LongText == LongTextPolicy.Chunk ? settings.ChunkOverlap : 0 };
        _metadata = new EmbeddingGeneratorMetadata("Embeddings (ONNX Runtime)", null, Path.GetFileName(settings.ModelFolder), settings.Dimension);
        int widest = pooledDimension;
        foreach (DenseLayer? layer in postPooling)
        {
            widest = System.Math.Max(widest, layer?.OutputDimension ?? 0);
        }

        _widestStep = widest;
        _logger = options.LoggerFactory?.CreateLogger<TextEmbedder>() ?? NullLogger<TextEmbedder>.Instance;
        _metrics = new ModelMetrics(options.MeterFactory, _metadata.DefaultModelId!);
    }

    /// <summary>Gets the settings resolved from the folder and the options.</summary>
    public TextEmbedderSettings Settings { get; }

    /// <summary>Gets the embedding length (the hidden size for per-token output).</summary>
    public int Dimension => Settings.Dimension;

    /// <summary>Opens a model folder.</summary>
    /// <param name="modelPath">A folder with <c>tokenizer.json</c> or <c>vocab.txt</c>, <c>config.json</c>, an ONNX file, and optionally sentence-transformers files.</param>
    /// <param name="options">Overrides for the folder's settings.</param>
    /// <returns>The embedder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="modelPath"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (budget, maximum length, chunk overlap, character limit).</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The tokenizer or the ONNX file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed (a maximum sequence length that leaves no room for text included), names a path outside the folder, the graph lacks the expected inputs or outputs, or a Dense layer does not fit.</exception>
    /// <exception cref="NotSupportedException">The folder uses a module, activation or tensor type this library does not support.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime fails to load the model.</exception>
    public static TextEmbedder Create(string modelPath, TextEmbedderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        options ??= new TextEmbedderOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchTokenBudget, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.ChunkOverlap, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxCharacters, nameof(options));
        if (options.MaxLength is int requested)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requested, nameof(options));
        }

        if (!Enum.IsDefined(options.LongText))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.LongText, "Unknown long-text policy.");
        }

        ModelFolder folder = ModelFolder.Open(modelPath);
        SentenceTransformersConfig config = SentenceTransformersConfig.Read(folder);
        TextModel model = TextModel.Open(folder, options.ModelFileName, options.Inference);
        try
        {
            TextEmbedder embedder = Build(model, config, options);
            embedder.LogLoaded();
            return embedder;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Opens a model folder without blocking the caller.</summary>
    /// <param name="modelPath">The model folder.</param>
    /// <param name="options">Overrides for the folder's settings.</param>
    /// <param name="cancellationToken">Cancels before loading starts.</param>
    /// <returns>The embedder.</returns>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    /// <remarks>Throws what <see cref="Create"/> throws.</remarks>
    public static Task<TextEmbedder> CreateAsync(string modelPath, TextEmbedderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        return Task.Run(() => Create(modelPath, options), cancellationToken);
    }

    /// <summary>Embeds one text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="prompt">A prompt for this call, or <see langword="null"/> for the configured default.</param>
    /// <returns>The embedding.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException">The text has more than <see cref="TextEmbedderOptions.MaxCharacters"/> characters or is too long under <see cref="LongTextPolicy.Error"/>, or the prompt name is unknown.</exception>
    /// <exception cref="InvalidOperationException">The embedder produces per-token output (<see cref="PoolingMode.None"/>).</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime fails.</exception>
    public float[] Embed(string text, TextPrompt? prompt = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Embed([text], prompt).ToArray(0);
    }

    /// <summary>Embeds any number of texts in one call.</summary>
    /// <param name="texts">The texts; at least one, none null.</param>
    /// <param name="prompt">A prompt for this call, or <see langword="null"/> for the configured default.</param>
    /// <param name="cancellationToken">Cancels between and during model runs.</param>
    /// <returns>The embeddings in caller order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> is null.</exception>
    /// <exception cref="ArgumentException">The collection is empty, holds a null, a text has more than <see cref="TextEmbedderOptions.MaxCharacters"/> characters or is too long under <see cref="LongTextPolicy.Error"/>, or the prompt name is unknown; the message names the text's index.</exception>
    /// <exception cref="InvalidOperationException">The embedder produces per-token output (<see cref="PoolingMode.None"/>).</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime fails.</exception>
    public EmbeddingBatch Embed(IReadOnlyList<string> texts, TextPrompt? prompt = null, CancellationToken cancellationToken = default)
    {
        ValidateTexts(texts);
        if (_pooling.IsPerToken)
        {
            throw new InvalidOperationException("This embedder has no pooling (PoolingMode.None); use EmbedTokens for per-token vectors.");
        }

        long start = Stopwatch.GetTimestamp();
        (string promptText, int excluded) = ResolvePrompt(prompt);
        List<Window> windows = Tokenize(texts, promptText, excluded, out int truncated);
        int dimension = Dimension;
        var windowVectors = new float[windows.Count * dimension];
        RunWindows(windows, _model.HiddenOutput!, ModelMetrics.Embed, cancellationToken, null, windowVectors);
        EmbeddingBatch result = Assemble(texts.Count, windows, windowVectors);
        _metrics.RecordTextCall(ModelMetrics.Embed, texts.Count, CountTokens(windows), truncated, start);
        return result;
    }

    /// <summary>Embeds texts on a worker thread.</summary>
    /// <param name="texts">The texts; at least one, none null.</param>
    /// <param name="prompt">A prompt for this call, or <see langword="null"/> for the configured default.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The embeddings in caller order.</returns>
    /// <remarks>Throws what <see cref="Embed(IReadOnlyList{string}, TextPrompt?, CancellationToken)"/> throws.</remarks>
    public Task<EmbeddingBatch> EmbedAsync(IReadOnlyList<string> texts, TextPrompt? prompt = null, CancellationToken cancellationToken = default)
    {
        ValidateTexts(texts);
        return Task.Run(() => Embed(texts, prompt, cancellationToken), cancellationToken);
    }

    /// <summary>Embeds a stream of texts group by group, yielding results in input order; for background jobs over large inputs.</summary>
    /// <param name="texts">The texts; none null.</param>
    /// <param name="prompt">A prompt for every text, or <see langword="null"/> for the configured default.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>One result per text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> is null.</exception>
    /// <exception cref="ArgumentException">A text is null, has more than <see cref="TextEmbedderOptions.MaxCharacters"/> characters, or is too long under <see cref="LongTextPolicy.Error"/>; the message names its index in the stream.</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed.</exception>
    public async IAsyncEnumerable<TextEmbedding> EmbedStreamAsync(IAsyncEnumerable<string> texts, TextPrompt? prompt = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var group = new List<string>(StreamGroupSize);
        long index = 0;
        await foreach (string text in texts.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (text is null)
            {
                throw new ArgumentException($"Text {index + group.Count} of the stream is null.", nameof(texts));
            }

            CheckLength(text, index + group.Count, "of the stream ");

            group.Add(text);
            if (group.Count == StreamGroupSize)
            {
                foreach (TextEmbedding result in await EmbedGroupAsync(group, prompt, index, cancellationToken).ConfigureAwait(false))
                {
                    yield return result;
                }

                index += group.Count;
                group.Clear();
            }
        }

        if (group.Count > 0)
        {
            foreach (TextEmbedding result in await EmbedGroupAsync(group, prompt, index, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }
        }
    }

    /// <summary>Returns one vector per token for every text: tokens, ids, offsets, word ids and the encoder's token vectors.</summary>
    /// <param name="texts">The texts; at least one, none null.</param>
    /// <param name="prompt">A prompt for this call, or <see langword="null"/> for the configured default.</param>
    /// <param name="cancellationToken">Cancels between and during model runs.</param>
    /// <returns>One result per text, in caller order.</returns>
    /// <remarks>
    /// Token vectors are the encoder's raw output, L2-normalized only when <see cref="TextEmbedderOptions.Normalize"/> is explicitly true.
    /// Per-token output does not chunk: under <see cref="LongTextPolicy.Chunk"/> a long text keeps its first window and reports truncation.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> is null.</exception>
    /// <exception cref="ArgumentException">The collection is empty, holds a null, or a text has more than <see cref="TextEmbedderOptions.MaxCharacters"/> characters or is too long under <see cref="LongTextPolicy.Error"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime fails.</exception>
    public IReadOnlyList<TokenEmbeddings> EmbedTokens(IReadOnlyList<string> texts, TextPrompt? prompt = null, CancellationToken cancellationToken = default)
    {
        ValidateTexts(texts);
        long start = Stopwatch.GetTimestamp();
        (string promptText, _) = ResolvePrompt(prompt);
        List<Window> windows = Tokenize(texts, promptText, 0, out int truncated, allowChunks: false);
        int hiddenSize = _model.HiddenSize;
        var vectors = new float[windows.Count][];
        RunWindows(
            windows,
            _model.HiddenOutput!,
            ModelMetrics.EmbedTokens,
            cancellationToken,
            (window, b, hidden, mask, count, length) =>
            {
                int tokens = window.Encoding.Count;
                float[] copy = hidden.Slice(b * length * hiddenSize, tokens * hiddenSize).ToArray();
                if (_normalizeTokens)
                {
                    L2Normalization.NormalizeRowsInPlace(copy, hiddenSize);
                }

                vectors[window.Input] = copy;
            },
            null);

        var results = new TokenEmbeddings[texts.Count];
        foreach (Window window in windows)
        {
            results[window.Input] = new TokenEmbeddings(Prepare(promptText + texts[window.Input]), window.Encoding, vectors[window.Input], hiddenSize);
        }

        _metrics.RecordTextCall(ModelMetrics.EmbedTokens, texts.Count, CountTokens(windows), truncated, start);
        return results;
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException"><see cref="EmbeddingGenerationOptions.Dimensions"/> asks for another length.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is int dimensions && dimensions != Dimension)
        {
            throw new NotSupportedException($"This model produces {Dimension}-dimensional embeddings; {dimensions} were requested.");
        }

        string[] texts = values as string[] ?? [.. values];
        EmbeddingBatch batch = await EmbedAsync(texts, null, cancellationToken).ConfigureAwait(false);
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(batch.Count);
        long tokens = 0;
        DateTimeOffset created = DateTimeOffset.UtcNow;
        for (int i = 0; i < batch.Count; i++)
        {
            embeddings.Add(new Embedding<float>(batch.ToArray(i)) { ModelId = _metadata.DefaultModelId, CreatedAt = created });
            tokens += batch.GetTokenCount(i);
        }

        embeddings.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return embeddings;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        EmbeddingGeneratorServices.Find(serviceType, serviceKey, this, _metadata, Settings);

    /// <summary>Releases the ONNX Runtime session once no model run is using it; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        _model.Dispose();
    }

    private static TextEmbedder Build(TextModel model, SentenceTransformersConfig config, TextEmbedderOptions options)
    {
        if (model.HiddenOutput is null)
        {
            throw new InvalidDataException($"{model.ModelFile}: expected an output named last_hidden_state or token_embeddings (float, rank 3); the graph has {model.DescribeOutputs()}.");
        }

        int hidden = model.HiddenSize;
        if (hidden <= 0)
        {
            throw new InvalidDataException($"{model.ModelFile}: the hidden size is dynamic in the graph and config.json has no hidden_size.");
        }

        if (config.WordEmbeddingDimension is int declared && declared != hidden)
        {
            throw new InvalidDataException($"{model.Folder.Root}: 1_Pooling/config.json declares word_embedding_dimension {declared} but the model's hidden size is {hidden}.");
        }

        PoolingPipeline pooling = options.Pooler is not null
            ? PoolingPipeline.FromPooler(options.Pooler)
            : PoolingPipeline.FromMode(options.Pooling ?? config.Pooling);

        var steps = new List<DenseLayer?>(config.PostPooling);
        if (options.Normalize is bool normalize)
        {
            steps.RemoveAll(step => step is null);
            if (normalize)
            {
                steps.Add(null);
            }
        }

        int pooled = pooling.GetOutputDimension(hidden);
        int dimension = pooled;
        var denseNames = new List<string>();
        if (!pooling.IsPerToken)
        {
            foreach (DenseLayer? step in steps)
            {
                if (step is null)
                {
                    continue;
                }

                if (step.InputDimension != dimension)
                {
                    throw new InvalidDataException($"{step.Source}: the Dense layer takes {step.InputDimension} inputs but receives {dimension} (pooling {Describe(pooling)} of hidden size {hidden}).");
                }

                dimension = step.OutputDimension;
                denseNames.Add(step.ToString());
            }
        }
        else
        {
            steps.Clear();
        }

        (int maxLength, string? maxLengthSource) = ResolveMaxLength(model, config, options);
        model.RequireRoomForText(maxLength, maxLengthSource, "TextEmbedderOptions.MaxLength");
        int specials = model.Tokenizer.SpecialTokenCount;

        if (options.LongText == LongTextPolicy.Chunk && options.ChunkOverlap >= maxLength - specials)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ChunkOverlap, $"The chunk overlap must be below the {maxLength - specials} text tokens of a window.");
        }

        string? defaultPrompt = options.DefaultPromptName ?? config.DefaultPromptName;
        if (defaultPrompt is not null && !config.Prompts.ContainsKey(defaultPrompt))
        {
            throw new ArgumentException($"The default prompt '{defaultPrompt}' is not defined by the model (prompts: {DescribePrompts(config.Prompts)}).", nameof(options));
        }

        bool normalizes = steps.Contains(null);
        var settings = new TextEmbedderSettings(
            model.Folder.Root,
            model.ModelFile,
            model.HiddenOutput,
            hidden,
            pooling.Mode,
            pooling.Custom?.GetType().FullName,
            denseNames,
            pooling.IsPerToken ? options.Normalize == true : normalizes,
            pooling.IsPerToken ? hidden : dimension,
            maxLength,
            options.LongText,
            options.ChunkOverlap,
            options.BatchTokenBudget,
            options.IncludePrompt ?? config.IncludePrompt,
            config.Prompts,
            defaultPrompt,
            config.DoLowerCase == true);
        settings = settings with { MaxCharacters = options.MaxCharacters };
        return new TextEmbedder(model, pooling, [.. steps], pooling.IsPerToken && options.Normalize == true, settings, pooled, options);
    }

    /// <summary>Resolves the sequence length and where it came from: null for the options, else the file and key.</summary>
    private static (int Length, string? Source) ResolveMaxLength(TextModel model, SentenceTransformersConfig config, TextEmbedderOptions options)
    {
        int? positions = model.MaxPositions;
        if (options.MaxLength is int requested)
        {
            if (positions is int limit && requested > limit)
            {
                throw new ArgumentOutOfRangeException(nameof(options), requested, $"The model has {limit} positions (max_position_embeddings); MaxLength cannot exceed it.");
            }

            return (requested, null);
        }

        // sentence-transformers: max_seq_length when configured, else the smaller of the tokenizer's and the model's limits.
        if (config.MaxSequenceLength is int configured)
        {
            return (configured, config.MaxSequenceLengthSource);
        }

        (int length, string source) = model.Tokenizer.MaxLength is int tokenizerLength
            ? (tokenizerLength, model.TokenizerMaxLengthSource)
            : (positions ?? 512, model.MaxPositionsSource);
        if (positions is int cap && length > cap)
        {
            (length, source) = (cap, model.MaxPositionsSource);
        }

        return (length, source);
    }

    private static string Describe(PoolingPipeline pooling) =>
        pooling.Custom is not null ? pooling.Custom.GetType().Name : pooling.Mode.ToString();

    private static string DescribePrompts(IReadOnlyDictionary<string, string> prompts) =>
        prompts.Count == 0 ? "none" : string.Join(", ", prompts.Keys);

    private void ValidateTexts(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (texts.Count == 0)
        {
            throw new ArgumentException("At least one text is required.", nameof(texts));
        }

        for (int i = 0; i < texts.Count; i++)
        {
            if (texts[i] is null)
            {
                throw new ArgumentException($"Text {i} is null.", nameof(texts));
            }

            CheckLength(texts[i], i, string.Empty);
        }
    }

    /// <summary>Refuses a text over the character limit before the tokenizer sees it.</summary>
    private void CheckLength(string text, long index, string where)
    {
        if (text.Length > Settings.MaxCharacters)
        {
            throw new ArgumentException($"Text {index} {where}has {text.Length} characters; the limit is {Settings.MaxCharacters} (TextEmbedderOptions.MaxCharacters).", "texts");
        }
    }

    private async Task<TextEmbedding[]> EmbedGroupAsync(List<string> group, TextPrompt? prompt, long firstIndex, CancellationToken cancellationToken)
    {
        string[] texts = [.. group];
        EmbeddingBatch batch = await EmbedAsync(texts, prompt, cancellationToken).ConfigureAwait(false);
        var results = new TextEmbedding[batch.Count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = new TextEmbedding(firstIndex + i, batch.ToArray(i), batch.GetTokenCount(i), batch.IsTruncated(i));
        }

        return results;
    }

    /// <summary>Returns the prompt text and how many leading tokens pooling must skip (sentence-transformers' prompt_length).</summary>
    private (string Text, int Excluded) ResolvePrompt(TextPrompt? prompt)
    {
        string text;
        if (prompt is null)
        {
            text = Settings.DefaultPromptName is { } name ? Settings.Prompts[name] : string.Empty;
        }
        else if (prompt.Name is { } promptName)
        {
            if (!Settings.Prompts.TryGetValue(promptName, out string? named))
            {
                throw new ArgumentException($"The model defines no prompt named '{promptName}' (prompts: {DescribePrompts(Settings.Prompts)}).", nameof(prompt));
            }

            text = named;
        }
        else
        {
            text = prompt.Text!;
        }

        if (text.Length == 0 || Settings.IncludePrompt)
        {
            return (text, 0);
        }

        // sentence-transformers masks len(tokenize(prompt)) - 1 leading positions: [CLS] and the prompt's tokens.
        return (text, _model.Tokenizer.Encode(Prepare(text)).Count - 1);
    }

    /// <summary>Applies sentence-transformers' <c>do_lower_case</c> (Python <c>str.lower</c>; .NET's invariant mapping differs only for a few letters such as U+0130).</summary>
    private string Prepare(string text) => Settings.LowerCase ? text.ToLowerInvariant() : text;

    private static long CountTokens(List<Window> windows)
    {
        long tokens = 0;
        foreach (Window window in windows)
        {
            tokens += window.Encoding.Count;
        }

        return tokens;
    }

    private void LogLoaded()
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        TextEmbedderSettings s = Settings;
        string pooling = s.CustomPooler ?? (_pooling.IsPerToken ? "None (per token)" : s.Pooling.ToString());
        string dense = s.DenseLayers.Count == 0 ? "none" : string.Join(", ", s.DenseLayers);
        TextEmbedderLog.Loaded(_logger, s.ModelFolder, s.ModelFile, pooling, dense, s.Normalize, s.Dimension, s.MaxLength, s.LongText, s.BatchTokenBudget, DescribePrompts(s.Prompts), s.DefaultPromptName);
    }

    private List<Window> Tokenize(IReadOnlyList<string> texts, string prompt, int excluded, out int truncated, bool allowChunks = true)
    {
        long start = _logger.IsEnabled(LogLevel.Debug) ? Stopwatch.GetTimestamp() : 0;
        var windows = new List<Window>(texts.Count);
        bool chunk = allowChunks && Settings.LongText == LongTextPolicy.Chunk;
        truncated = 0;
        int firstTruncated = -1;
        for (int i = 0; i < texts.Count; i++)
        {
            string text = Prepare(prompt.Length == 0 ? texts[i] : prompt + texts[i]);
            TokenizedText encoding = _model.Tokenizer.Encode(text, _truncation);
            if (encoding.IsTruncated && Settings.LongText == LongTextPolicy.Error)
            {
                throw new ArgumentException($"Text {i} is longer than the maximum of {Settings.MaxLength} tokens (LongTextPolicy.Error).", nameof(texts));
            }

            windows.Add(new Window(i, 0, encoding, excluded));
            if (chunk)
            {
                for (int k = 0; k < encoding.Overflowing.Count; k++)
                {
                    windows.Add(new Window(i, k + 1, encoding.Overflowing[k], 0));
                }
            }
            else if (encoding.IsTruncated)
            {
                truncated++;
                firstTruncated = firstTruncated < 0 ? i : firstTruncated;
            }
        }

        if (truncated > 0)
        {
            TextEmbedderLog.Truncated(_logger, truncated, texts.Count, Settings.MaxLength, firstTruncated);
        }

        if (start != 0)
        {
            TextEmbedderLog.Tokenized(_logger, texts.Count, windows.Count, CountTokens(windows), Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return windows;
    }

    /// <summary>Runs every window through the model in token-budget batches; pools into <paramref name="pooledVectors"/> or hands token vectors to <paramref name="perToken"/>.</summary>
    private void RunWindows(List<Window> windows, string output, string operation, CancellationToken cancellationToken, TokenVectorsCallback? perToken, float[]? pooledVectors)
    {
        bool timed = _logger.IsEnabled(LogLevel.Debug);
        var lengths = new int[windows.Count];
        for (int i = 0; i < lengths.Length; i++)
        {
            lengths[i] = windows[i].Encoding.Count;
        }

        BatchPlan plan = _batcher.Plan(lengths);
        int hiddenSize = _model.HiddenSize;
        foreach (TokenBatch batch in plan.Batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ids = new IReadOnlyList<int>[batch.Count];
            var types = new IReadOnlyList<int>[batch.Count];
            long realTokens = 0;
            for (int b = 0; b < batch.Count; b++)
            {
                TokenizedText encoding = windows[plan.Order[batch.Start + b]].Encoding;
                ids[b] = encoding.Ids;
                types[b] = encoding.TypeIds;
                realTokens += encoding.Count;
            }

            _metrics.RecordTokenBatch(operation, batch.Count, realTokens, batch.PaddedTokens);
            int size = batch.PaddedTokens;
            long[] mask = ArrayPool<long>.Shared.Rent(size);
            long runStart = timed ? Stopwatch.GetTimestamp() : 0;
            long poolStart = 0;
            try
            {
                using InferenceResult result = _model.Run(ids, types, batch.PaddedLength, output, mask, cancellationToken);
                poolStart = timed ? Stopwatch.GetTimestamp() : 0;
                if (result.GetShape(0)[2] != hiddenSize)
                {
                    throw new EmbeddingsException($"{_model.ModelFile}: output '{output}' has hidden size {result.GetShape(0)[2]}, expected {hiddenSize}.");
                }

                ReadOnlySpan<float> hidden = result.GetData<float>(0);
                if (pooledVectors is null)
                {
                    for (int b = 0; b < batch.Count; b++)
                    {
                        perToken!(windows[plan.Order[batch.Start + b]], b, hidden, mask, batch.Count, batch.PaddedLength);
                    }
                }
                else
                {
                    for (int b = 0; b < batch.Count; b++)
                    {
                        Window window = windows[plan.Order[batch.Start + b]];
                        int excluded = System.Math.Min(window.ExcludedTokens, window.Encoding.Count);
                        mask.AsSpan(b * batch.PaddedLength, excluded).Clear();
                    }

                    PoolAndProject(hidden, mask.AsSpan(0, size), batch, plan.Order, pooledVectors);
                }
            }
            finally
            {
                ArrayPool<long>.Shared.Return(mask);
            }

            if (timed)
            {
                TextEmbedderLog.BatchRun(_logger, batch.Count, batch.PaddedLength, Stopwatch.GetElapsedTime(runStart, poolStart).TotalMilliseconds, Stopwatch.GetElapsedTime(poolStart).TotalMilliseconds);
            }
        }
    }

    private void PoolAndProject(ReadOnlySpan<float> hidden, ReadOnlySpan<long> mask, TokenBatch batch, int[] order, float[] destination)
    {
        int count = batch.Count;
        float[] pooled = ArrayPool<float>.Shared.Rent(count * _pooledDimension);
        float[] scratchA = ArrayPool<float>.Shared.Rent(_widestStep);
        float[] scratchB = ArrayPool<float>.Shared.Rent(_widestStep);
        try
        {
            _pooling.Pool(hidden, mask, count, batch.PaddedLength, _model.HiddenSize, pooled);
            int dimension = Dimension;
            for (int b = 0; b < count; b++)
            {
                Span<float> current = pooled.AsSpan(b * _pooledDimension, _pooledDimension);
                bool inA = false;
                foreach (DenseLayer? step in _postPooling)
                {
                    if (step is null)
                    {
                        L2Normalization.NormalizeInPlace(current);
                        continue;
                    }

                    Span<float> next = (inA ? scratchB : scratchA).AsSpan(0, step.OutputDimension);
                    step.Apply(current, next);
                    current = next;
                    inA = !inA;
                }

                current.CopyTo(destination.AsSpan(order[batch.Start + b] * dimension, dimension));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(pooled);
            ArrayPool<float>.Shared.Return(scratchA);
            ArrayPool<float>.Shared.Return(scratchB);
        }
    }

    private EmbeddingBatch Assemble(int inputs, List<Window> windows, float[] windowVectors)
    {
        int dimension = Dimension;
        var tokenCounts = new int[inputs];
        var truncated = new bool[inputs];
        if (windows.Count == inputs)
        {
            foreach (Window window in windows)
            {
                tokenCounts[window.Input] = window.Encoding.Count;
                truncated[window.Input] = window.Encoding.IsTruncated;
            }

            return new EmbeddingBatch(windowVectors, dimension, tokenCounts, truncated, Settings.LongText == LongTextPolicy.Chunk ? ChunksOfOne(windows, windowVectors) : null);
        }

        // Chunked: each input's vector is the token-weighted mean of its windows, renormalized when the model normalizes.
        var vectors = new float[inputs * dimension];
        var chunks = new List<TextChunk>[inputs];
        for (int w = 0; w < windows.Count; w++)
        {
            Window window = windows[w];
            ReadOnlySpan<float> vector = windowVectors.AsSpan(w * dimension, dimension);
            int weight = window.Encoding.Count;
            Span<float> sum = vectors.AsSpan(window.Input * dimension, dimension);
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(vector, weight, sum, sum);
            tokenCounts[window.Input] += weight;
            (chunks[window.Input] ??= []).Add(ToChunk(window, vector));
        }

        for (int i = 0; i < inputs; i++)
        {
            Span<float> sum = vectors.AsSpan(i * dimension, dimension);
            System.Numerics.Tensors.TensorPrimitives.Divide(sum, tokenCounts[i], sum);
            if (Settings.Normalize)
            {
                L2Normalization.NormalizeInPlace(sum);
            }
        }

        return new EmbeddingBatch(vectors, dimension, tokenCounts, truncated, [.. chunks]);
    }

    private IReadOnlyList<TextChunk>[] ChunksOfOne(List<Window> windows, float[] windowVectors)
    {
        var chunks = new IReadOnlyList<TextChunk>[windows.Count];
        for (int w = 0; w < windows.Count; w++)
        {
            chunks[windows[w].Input] = [ToChunk(windows[w], windowVectors.AsSpan(w * Dimension, Dimension))];
        }

        return chunks;
    }

    private static TextChunk ToChunk(Window window, ReadOnlySpan<float> vector)
    {
        TokenizedText encoding = window.Encoding;
        int start = -1;
        int end = 0;
        for (int t = 0; t < encoding.Count; t++)
        {
            if (encoding.SequenceIds[t] < 0)
            {
                continue;
            }

            if (start < 0)
            {
                start = encoding.Offsets[t].Start;
            }

            end = encoding.Offsets[t].End;
        }

        return new TextChunk(System.Math.Max(start, 0), end, encoding.Count, vector.ToArray());
    }

    private delegate void TokenVectorsCallback(Window window, int batchIndex, ReadOnlySpan<float> hidden, long[] mask, int count, int paddedLength);

    /// <summary>One sequence the model runs: a whole (possibly truncated) text or one chunk of it.</summary>
    private sealed record Window(int Input, int Chunk, TokenizedText Encoding, int ExcludedTokens);
}
