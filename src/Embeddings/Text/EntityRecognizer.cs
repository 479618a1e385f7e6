using System.Buffers;
using System.Diagnostics;
using Embeddings.Diagnostics;
using Embeddings.Inference;
using Embeddings.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Text;

/// <summary>Labels tokens and groups them into named entities with a token-classification ONNX model (<c>logits</c> + <c>id2label</c>).</summary>
/// <remarks>
/// Post-processing follows Hugging Face's token-classification pipeline ("simple" and "first" aggregation).
/// Thread-safe: one recognizer may serve many threads.
/// Disposal: calls made after <see cref="Dispose"/> throw <see cref="ObjectDisposedException"/>. Disposing while calls are
/// in flight is safe: a model run already started finishes (the native session is released when the last run returns),
/// and a call that reaches its next run after disposal fails with <see cref="ObjectDisposedException"/>; no call ever sees freed memory.
/// </remarks>
public sealed class EntityRecognizer : IDisposable
{
    private readonly TextModel _model;
    private readonly TokenBudgetBatcher _batcher;
    private readonly TruncationOptions _truncation;
    private readonly int _maxCharacters;
    private readonly ILogger _logger;
    private readonly ModelMetrics _metrics;
    private volatile bool _disposed;

    private EntityRecognizer(TextModel model, int maxLength, int? stride, EntityRecognizerOptions options)
    {
        _model = model;
        _maxCharacters = options.MaxCharacters;
        MaxLength = maxLength;
        Stride = stride;
        _batcher = new TokenBudgetBatcher(options.BatchTokenBudget);
        _truncation = new TruncationOptions { MaxLength = maxLength, Stride = stride ?? 0 };
        _logger = options.LoggerFactory?.CreateLogger<EntityRecognizer>() ?? NullLogger<EntityRecognizer>.Instance;
        _metrics = new ModelMetrics(options.MeterFactory, Path.GetFileName(model.Folder.Root));
        if (_logger.IsEnabled(LogLevel.Information))
        {
            EntityRecognizerLog.Loaded(_logger, model.Folder.Root, model.ModelFile, string.Join(", ", model.Labels!), maxLength, stride, options.BatchTokenBudget);
        }
    }

    /// <summary>Gets the labels in class order, from config.json's <c>id2label</c>.</summary>
    public IReadOnlyList<string> Labels => _model.Labels!;

    /// <summary>Gets the maximum tokens per window, special tokens included; longer texts are truncated and reported, or windowed with <see cref="Stride"/>.</summary>
    public int MaxLength { get; }

    /// <summary>Gets the tokens shared by consecutive windows of a long text, or <see langword="null"/> when long texts are truncated.</summary>
    public int? Stride { get; }

    /// <summary>Opens a token-classification model folder.</summary>
    /// <param name="modelPath">A folder with a tokenizer, config.json with <c>id2label</c>, and an ONNX file with a <c>logits</c> output.</param>
    /// <param name="options">Overrides.</param>
    /// <returns>The recognizer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="modelPath"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The tokenizer or the ONNX file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, config.json has no <c>id2label</c>, or the graph has no rank-3 <c>logits</c> output.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime fails to load the model.</exception>
    public static EntityRecognizer Create(string modelPath, EntityRecognizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        options ??= new EntityRecognizerOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.BatchTokenBudget, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxCharacters, nameof(options));
        TextModel model = TextModel.Open(ModelFolder.Open(modelPath), options.ModelFileName, options.Inference);
        try
        {
            if (model.Labels is null)
            {
                throw new InvalidDataException($"{Path.Combine(model.Folder.Root, "config.json")}: a token-classification model needs $.id2label.");
            }

            if (model.Logits is null)
            {
                throw new InvalidDataException($"{model.ModelFile}: expected an output named logits (float, rank 3 [batch, sequence, {model.Labels.Count}]); the graph has {model.DescribeOutputs()}.");
            }

            int? positions = model.MaxPositions;
            int maxLength = options.MaxLength ?? model.Tokenizer.MaxLength ?? positions ?? 512;
            string? maxLengthSource = options.MaxLength is not null ? null
                : model.Tokenizer.MaxLength is not null ? model.TokenizerMaxLengthSource
                : model.MaxPositionsSource;
            if (positions is int cap && maxLength > cap)
            {
                if (options.MaxLength is not null)
                {
                    throw new ArgumentOutOfRangeException(nameof(options), maxLength, $"The model has {cap} positions (max_position_embeddings); MaxLength cannot exceed it.");
                }

                maxLength = cap;
                maxLengthSource = model.MaxPositionsSource;
            }

            model.RequireRoomForText(maxLength, maxLengthSource, "EntityRecognizerOptions.MaxLength");

            if (options.Stride is int stride && (stride < 0 || stride >= maxLength - model.Tokenizer.SpecialTokenCount))
            {
                throw new ArgumentOutOfRangeException(nameof(options), stride, $"The stride must be in [0, {maxLength - model.Tokenizer.SpecialTokenCount}) for windows of {maxLength} tokens.");
            }

            return new EntityRecognizer(model, maxLength, options.Stride, options);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Opens a token-classification model folder without blocking the caller.</summary>
    /// <param name="modelPath">The model folder.</param>
    /// <param name="options">Overrides.</param>
    /// <param name="cancellationToken">Cancels before loading starts.</param>
    /// <returns>The recognizer.</returns>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    /// <remarks>Throws what <see cref="Create"/> throws.</remarks>
    public static Task<EntityRecognizer> CreateAsync(string modelPath, EntityRecognizerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        return Task.Run(() => Create(modelPath, options), cancellationToken);
    }

    /// <summary>Labels the tokens of one text and groups its entities.</summary>
    /// <param name="text">The text.</param>
    /// <param name="aggregation">The grouping strategy.</param>
    /// <returns>Tokens, labels and entities.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentException">The text has more than <see cref="EntityRecognizerOptions.MaxCharacters"/> characters.</exception>
    /// <exception cref="ObjectDisposedException">The recognizer was disposed.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime fails.</exception>
    public TokenClassification Recognize(string text, EntityAggregation aggregation = EntityAggregation.Simple)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Recognize([text], aggregation)[0];
    }

    /// <summary>Labels the tokens of many texts and groups their entities, batching by token budget.</summary>
    /// <param name="texts">The texts; at least one, none null.</param>
    /// <param name="aggregation">The grouping strategy.</param>
    /// <param name="cancellationToken">Cancels between and during model runs.</param>
    /// <returns>One result per text, in caller order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> is null.</exception>
    /// <exception cref="ArgumentException">The collection is empty, holds a null, or a text has more than <see cref="EntityRecognizerOptions.MaxCharacters"/> characters; the message names the text's index.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="aggregation"/> is not defined.</exception>
    /// <exception cref="OperationCanceledException">The token was canceled.</exception>
    /// <exception cref="ObjectDisposedException">The recognizer was disposed.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime fails.</exception>
    public IReadOnlyList<TokenClassification> Recognize(IReadOnlyList<string> texts, EntityAggregation aggregation = EntityAggregation.Simple, CancellationToken cancellationToken = default)
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

            if (texts[i].Length > _maxCharacters)
            {
                throw new ArgumentException($"Text {i} has {texts[i].Length} characters; the limit is {_maxCharacters} (EntityRecognizerOptions.MaxCharacters).", nameof(texts));
            }
        }

        if (!Enum.IsDefined(aggregation))
        {
            throw new ArgumentOutOfRangeException(nameof(aggregation), aggregation, "Unknown aggregation strategy.");
        }

        // One window per text, or several with a stride; every window is classified on its own.
        long start = Stopwatch.GetTimestamp();
        bool timed = _logger.IsEnabled(LogLevel.Debug);
        var windows = new List<(int Input, TokenizedText Encoding)>(texts.Count);
        int truncated = 0;
        int firstTruncated = -1;
        for (int i = 0; i < texts.Count; i++)
        {
            TokenizedText encoding = _model.Tokenizer.Encode(texts[i], _truncation);
            windows.Add((i, encoding));
            if (Stride is not null)
            {
                foreach (TokenizedText overflow in encoding.Overflowing)
                {
                    windows.Add((i, overflow));
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
            EntityRecognizerLog.Truncated(_logger, truncated, texts.Count, MaxLength, firstTruncated);
        }

        var lengths = new int[windows.Count];
        long realTokenCount = 0;
        for (int w = 0; w < lengths.Length; w++)
        {
            lengths[w] = windows[w].Encoding.Count;
            realTokenCount += lengths[w];
        }

        if (timed)
        {
            EntityRecognizerLog.Tokenized(_logger, texts.Count, windows.Count, realTokenCount, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        int classes = Labels.Count;
        var probabilities = new float[windows.Count][];
        BatchPlan plan = _batcher.Plan(lengths);
        foreach (TokenBatch batch in plan.Batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ids = new IReadOnlyList<int>[batch.Count];
            var types = new IReadOnlyList<int>[batch.Count];
            long realTokens = 0;
            for (int b = 0; b < batch.Count; b++)
            {
                ids[b] = windows[plan.Order[batch.Start + b]].Encoding.Ids;
                types[b] = windows[plan.Order[batch.Start + b]].Encoding.TypeIds;
                realTokens += ids[b].Count;
            }

            _metrics.RecordTokenBatch(ModelMetrics.Ner, batch.Count, realTokens, batch.PaddedTokens);
            long[] mask = ArrayPool<long>.Shared.Rent(batch.PaddedTokens);
            long runStart = timed ? Stopwatch.GetTimestamp() : 0;
            long softmaxStart = 0;
            try
            {
                using InferenceResult result = _model.Run(ids, types, batch.PaddedLength, _model.Logits!, mask, cancellationToken);
                softmaxStart = timed ? Stopwatch.GetTimestamp() : 0;
                if (result.GetShape(0)[2] != classes)
                {
                    throw new EmbeddingsException($"{_model.ModelFile}: output 'logits' has {result.GetShape(0)[2]} classes; id2label has {classes}.");
                }

                ReadOnlySpan<float> logits = result.GetData<float>(0);
                for (int b = 0; b < batch.Count; b++)
                {
                    int window = plan.Order[batch.Start + b];
                    int tokens = windows[window].Encoding.Count;
                    var rows = new float[tokens * classes];
                    ReadOnlySpan<float> source = logits.Slice(b * batch.PaddedLength * classes, tokens * classes);
                    for (int t = 0; t < tokens; t++)
                    {
                        TokenClassificationDecoder.Softmax(source.Slice(t * classes, classes), rows.AsSpan(t * classes, classes));
                    }

                    probabilities[window] = rows;
                }
            }
            finally
            {
                ArrayPool<long>.Shared.Return(mask);
            }

            if (timed)
            {
                EntityRecognizerLog.BatchRun(_logger, batch.Count, batch.PaddedLength, Stopwatch.GetElapsedTime(runStart, softmaxStart).TotalMilliseconds, Stopwatch.GetElapsedTime(softmaxStart).TotalMilliseconds);
            }
        }

        var results = new TokenClassification[texts.Count];
        int first = 0;
        while (first < windows.Count)
        {
            int input = windows[first].Input;
            int end = first + 1;
            while (end < windows.Count && windows[end].Input == input)
            {
                end++;
            }

            results[input] = Decode(texts[input], windows.GetRange(first, end - first), probabilities.AsSpan(first, end - first), aggregation);
            first = end;
        }

        _metrics.RecordTextCall(ModelMetrics.Ner, texts.Count, realTokenCount, truncated, start);
        return results;
    }

    /// <summary>Releases the ONNX Runtime session once no model run is using it; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        _model.Dispose();
    }

    private TokenClassification Decode(string text, List<(int Input, TokenizedText Encoding)> windows, ReadOnlySpan<float[]> probabilities, EntityAggregation aggregation)
    {
        int classes = Labels.Count;
        var tokens = new List<string>();
        var offsets = new List<TokenOffset>();
        var labels = new List<TokenLabel>();
        var entities = new List<NamedEntity>();
        for (int w = 0; w < windows.Count; w++)
        {
            TokenizedText encoding = windows[w].Encoding;
            IReadOnlyList<string> windowTokens = encoding.Tokens;
            var classified = new List<ClassifiedToken>(encoding.Count);
            for (int t = 0; t < encoding.Count; t++)
            {
                labels.Add(TokenClassificationDecoder.Label(probabilities[w].AsSpan(t * classes, classes), Labels));
                tokens.Add(windowTokens[t]);
                offsets.Add(encoding.Offsets[t]);
                if (encoding.SequenceIds[t] < 0)
                {
                    continue;
                }

                TokenOffset offset = encoding.Offsets[t];
                bool unknown = encoding.Ids[t] == _model.Tokenizer.UnknownId;
                classified.Add(new ClassifiedToken(t, offset.Start, offset.End, TokenClassificationDecoder.IsSubword(windowTokens[t], text, offset.Start, offset.End, unknown)));
            }

            entities.AddRange(TokenClassificationDecoder.Group(text, [.. classified], probabilities[w], Labels, aggregation));
        }

        IReadOnlyList<NamedEntity> merged = windows.Count > 1 ? TokenClassificationDecoder.MergeOverlapping(entities) : entities;
        bool truncated = windows.Count == 1 && windows[0].Encoding.IsTruncated;
        return new TokenClassification(text, tokens, offsets, labels, merged, truncated);
    }
}
