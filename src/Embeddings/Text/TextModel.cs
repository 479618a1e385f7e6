using System.Buffers;
using System.Text.Json;
using Embeddings.Inference;
using Embeddings.Tokenization;

namespace Embeddings.Text;

/// <summary>The parts every text model shares: folder, tokenizer, ONNX session with checked inputs and outputs, and padded batch runs.</summary>
/// <remarks>Thread-safe: the tokenizer and ONNX Runtime session may be called concurrently; every run uses its own buffers.</remarks>
internal sealed class TextModel : IDisposable
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string TokenTypeIds = "token_type_ids";
    public const string LogitsOutput = "logits";
    private static readonly string[] HiddenOutputs = ["last_hidden_state", "token_embeddings"];

    private TextModel(ModelFolder folder, string modelFile, BertTokenizer tokenizer, InferenceSession session)
    {
        Folder = folder;
        ModelFile = modelFile;
        Tokenizer = tokenizer;
        Session = session;
    }

    public ModelFolder Folder { get; }

    public string ModelFile { get; }

    public BertTokenizer Tokenizer { get; }

    public InferenceSession Session { get; }

    public bool HasTokenTypes { get; private set; }

    /// <summary>Gets the token-vector output name, or <see langword="null"/> when the model has none.</summary>
    public string? HiddenOutput { get; private set; }

    /// <summary>Gets the hidden size from the output shape or config.json, or 0 when unknown.</summary>
    public int HiddenSize { get; private set; }

    /// <summary>Gets <c>logits</c> when the model has a rank-3 float output of that name.</summary>
    public string? Logits { get; private set; }

    /// <summary>Gets <c>max_position_embeddings</c> from config.json.</summary>
    public int? MaxPositions { get; private set; }

    /// <summary>Gets the file and key of <see cref="MaxPositions"/>, for messages.</summary>
    public string MaxPositionsSource => $"{Path.Combine(Folder.Root, "config.json")} $.max_position_embeddings";

    /// <summary>Gets the file and key of the tokenizer's <c>model_max_length</c>, for messages.</summary>
    public string TokenizerMaxLengthSource => $"{Path.Combine(Folder.Root, "tokenizer_config.json")} $.model_max_length";

    /// <summary>Refuses a sequence length that leaves no room for text beside the tokenizer's special tokens.</summary>
    /// <param name="maxLength">The resolved length.</param>
    /// <param name="source">The file and key it came from, or <see langword="null"/> when the caller's options set it.</param>
    /// <param name="option">The option that sets it, for the message when <paramref name="source"/> is null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The options set a length that is too small (the caller's argument).</exception>
    /// <exception cref="InvalidDataException">A file of the folder sets a length that is too small (bad data in a named file).</exception>
    public void RequireRoomForText(int maxLength, string? source, string option)
    {
        int specials = Tokenizer.SpecialTokenCount;
        if (maxLength <= specials)
        {
            throw source is null
                ? new ArgumentOutOfRangeException("options", maxLength, $"{option} must leave room for text beside the {specials} special tokens.")
                : new InvalidDataException($"{source}: the maximum sequence length {maxLength} leaves no room for text beside the {specials} special tokens.");
        }
    }

    /// <summary>Gets config.json's <c>id2label</c> in class order, or <see langword="null"/>.</summary>
    public IReadOnlyList<string>? Labels { get; private set; }

    /// <summary>Opens a folder: tokenizer, config.json, the ONNX file, and checks the graph's inputs and outputs.</summary>
    /// <exception cref="FileNotFoundException">The tokenizer or the ONNX file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or the graph's inputs or outputs are not what a BERT encoder has.</exception>
    public static TextModel Open(ModelFolder folder, string? modelFileName, InferenceOptions? inference)
    {
        if (!File.Exists(Path.Combine(folder.Root, "tokenizer.json")) && !File.Exists(Path.Combine(folder.Root, "vocab.txt")))
        {
            throw new FileNotFoundException($"{folder.Root}: no tokenizer in the model folder (expected tokenizer.json or vocab.txt).", Path.Combine(folder.Root, "tokenizer.json"));
        }

        folder.Resolve("tokenizer.json", "tokenizer");
        folder.Resolve("vocab.txt", "tokenizer");
        folder.Resolve("tokenizer_config.json", "tokenizer");
        BertTokenizer tokenizer = BertTokenizer.FromDirectory(folder.Root);
        string modelFile = folder.FindOnnxModel(modelFileName, "TextEmbedderOptions.ModelFileName");
        InferenceSession session = InferenceSession.Create(modelFile, inference);
        var model = new TextModel(folder, modelFile, tokenizer, session);
        try
        {
            model.ReadConfig();
            model.CheckGraph();
            return model;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Runs one padded batch and returns the requested output; the caller disposes the result.</summary>
    /// <param name="sequences">The token ids of every sequence.</param>
    /// <param name="typeIds">The token type ids of every sequence.</param>
    /// <param name="paddedLength">The length all sequences are padded to.</param>
    /// <param name="outputName">The output to fetch.</param>
    /// <param name="mask">Receives the attention mask, <c>count × paddedLength</c>, for pooling.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public InferenceResult Run(IReadOnlyList<IReadOnlyList<int>> sequences, IReadOnlyList<IReadOnlyList<int>> typeIds, int paddedLength, string outputName, Span<long> mask, CancellationToken cancellationToken)
    {
        int count = sequences.Count;
        int size = count * paddedLength;
        long[] ids = ArrayPool<long>.Shared.Rent(size);
        long[] attention = ArrayPool<long>.Shared.Rent(size);
        long[]? types = HasTokenTypes ? ArrayPool<long>.Shared.Rent(size) : null;
        try
        {
            Array.Clear(ids, 0, size);
            Array.Clear(attention, 0, size);
            if (types is not null)
            {
                Array.Clear(types, 0, size);
            }

            for (int b = 0; b < count; b++)
            {
                IReadOnlyList<int> row = sequences[b];
                IReadOnlyList<int> rowTypes = typeIds[b];
                int offset = b * paddedLength;
                for (int t = 0; t < row.Count; t++)
                {
                    ids[offset + t] = row[t];
                    attention[offset + t] = 1;
                    if (types is not null)
                    {
                        types[offset + t] = rowTypes[t];
                    }
                }

                // Padding ids stay 0 unless the vocabulary says otherwise; the mask hides them either way.
                if (Tokenizer.PaddingId > 0)
                {
                    ids.AsSpan(offset + row.Count, paddedLength - row.Count).Fill(Tokenizer.PaddingId);
                }
            }

            attention.AsSpan(0, size).CopyTo(mask);
            Span<TensorInput> inputs = new TensorInput[types is null ? 2 : 3];
            inputs[0] = TensorInput.Create(InputIds, ids.AsMemory(0, size), count, paddedLength);
            inputs[1] = TensorInput.Create(AttentionMask, attention.AsMemory(0, size), count, paddedLength);
            if (types is not null)
            {
                inputs[2] = TensorInput.Create(TokenTypeIds, types.AsMemory(0, size), count, paddedLength);
            }

            InferenceResult result = Session.Run(inputs, [outputName], cancellationToken);
            ReadOnlySpan<long> shape = result.GetShape(0);
            if (shape.Length != 3 || shape[0] != count || shape[1] != paddedLength)
            {
                result.Dispose();
                throw new EmbeddingsException($"{ModelFile}: output '{outputName}' has shape [{string.Join(", ", shape.ToArray())}], expected [{count}, {paddedLength}, hidden].");
            }

            return result;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(ids);
            ArrayPool<long>.Shared.Return(attention);
            if (types is not null)
            {
                ArrayPool<long>.Shared.Return(types);
            }
        }
    }

    public void Dispose() => Session.Dispose();

    private void ReadConfig()
    {
        if (!Folder.TryResolveFile("config.json", "config.json", out string path))
        {
            return;
        }

        using JsonDocument config = ConfigJson.ParseObject(path);
        JsonElement root = config.RootElement;
        HiddenSize = ConfigJson.GetInt32(root, "hidden_size", path) ?? 0;
        MaxPositions = ConfigJson.GetInt32(root, "max_position_embeddings", path);
        if (root.TryGetProperty("id2label", out JsonElement labels) && labels.ValueKind == JsonValueKind.Object)
        {
            var byId = new SortedDictionary<int, string>();
            foreach (JsonProperty label in labels.EnumerateObject())
            {
                if (!int.TryParse(label.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id)
                    || label.Value.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"{path}: expected \"<class id>\": \"<label>\" at $.id2label[\"{label.Name}\"].");
                }

                byId[id] = label.Value.GetString()!;
            }

            var ordered = new string[byId.Count];
            int expected = 0;
            foreach ((int id, string label) in byId)
            {
                if (id != expected)
                {
                    throw new InvalidDataException($"{path}: $.id2label must number classes 0..{byId.Count - 1} without gaps; {expected} is missing.");
                }

                ordered[expected++] = label;
            }

            Labels = ordered;
        }
    }

    private void CheckGraph()
    {
        bool hasIds = false;
        bool hasMask = false;
        foreach (NodeInfo input in Session.Inputs)
        {
            string name = input.Name;
            if (name is not (InputIds or AttentionMask or TokenTypeIds))
            {
                throw new InvalidDataException($"{ModelFile}: unexpected input '{name}' ({input}); a BERT encoder takes {InputIds}, {AttentionMask} and optionally {TokenTypeIds}.");
            }

            if (!input.IsTensor || input.ElementType != TensorElementType.Int64 || input.Shape.Count != 2)
            {
                throw new InvalidDataException($"{ModelFile}: input '{name}' is {input}; expected an int64 tensor of rank 2 [batch, sequence].");
            }

            hasIds |= name == InputIds;
            hasMask |= name == AttentionMask;
            HasTokenTypes |= name == TokenTypeIds;
        }

        if (!hasIds || !hasMask)
        {
            throw new InvalidDataException($"{ModelFile}: expected inputs {InputIds} and {AttentionMask}; the graph has {Describe(Session.Inputs)}.");
        }

        foreach (NodeInfo output in Session.Outputs)
        {
            bool isFloat3 = output.IsTensor && output.ElementType == TensorElementType.Float && output.Shape.Count == 3;
            if (HiddenOutput is null && Array.IndexOf(HiddenOutputs, output.Name) >= 0)
            {
                if (!isFloat3)
                {
                    throw new InvalidDataException($"{ModelFile}: output '{output.Name}' is {output}; expected a float tensor of rank 3 [batch, sequence, hidden].");
                }

                HiddenOutput = output.Name;
                long last = output.Shape[2];
                if (last > 0)
                {
                    if (HiddenSize > 0 && HiddenSize != last)
                    {
                        throw new InvalidDataException($"{ModelFile}: output '{output.Name}' has hidden size {last} but config.json says hidden_size {HiddenSize}.");
                    }

                    HiddenSize = (int)last;
                }
            }
            else if (output.Name == LogitsOutput && isFloat3)
            {
                Logits = output.Name;
                long classes = output.Shape[2];
                if (Labels is not null && classes > 0 && classes != Labels.Count)
                {
                    throw new InvalidDataException($"{ModelFile}: output 'logits' has {classes} classes but config.json's id2label has {Labels.Count}.");
                }
            }
        }
    }

    /// <summary>Describes the graph's outputs for error messages.</summary>
    public string DescribeOutputs() => Describe(Session.Outputs);

    private static string Describe(IReadOnlyList<NodeInfo> nodes)
    {
        var parts = new string[nodes.Count];
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = nodes[i].ToString();
        }

        return parts.Length == 0 ? "none" : string.Join(", ", parts);
    }
}
