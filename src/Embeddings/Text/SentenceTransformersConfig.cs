using System.Text.Json;
using Embeddings.Pooling;

namespace Embeddings.Text;

/// <summary>The sentence-transformers files of a model folder: modules, pooling, Dense layers, normalization, length and prompts.</summary>
/// <remarks>Every file is optional; a folder without <c>modules.json</c> gets sentence-transformers' fallback of mean pooling.</remarks>
internal sealed class SentenceTransformersConfig
{
    private const string TransformerType = "sentence_transformers.models.Transformer";
    private const string PoolingType = "sentence_transformers.models.Pooling";
    private const string DenseType = "sentence_transformers.models.Dense";
    private const string NormalizeType = "sentence_transformers.models.Normalize";

    /// <summary>Gets a value indicating whether the folder has a <c>modules.json</c>.</summary>
    public bool HasModules { get; private init; }

    /// <summary>Gets the pooling modes (mean when the folder does not say).</summary>
    public PoolingMode Pooling { get; private init; } = PoolingMode.Mean;

    /// <summary>Gets the hidden size the pooling config declares, if any.</summary>
    public int? WordEmbeddingDimension { get; private init; }

    /// <summary>Gets a value indicating whether prompt tokens take part in pooling.</summary>
    public bool IncludePrompt { get; private init; } = true;

    /// <summary>Gets the modules after pooling, in order: a Dense layer, or <see langword="null"/> for Normalize.</summary>
    public IReadOnlyList<DenseLayer?> PostPooling { get; private init; } = [];

    /// <summary>Gets the maximum sequence length from <c>sentence_bert_config.json</c>.</summary>
    public int? MaxSequenceLength { get; private init; }

    /// <summary>Gets the file and key <see cref="MaxSequenceLength"/> came from, for messages.</summary>
    public string? MaxSequenceLengthSource { get; private init; }

    /// <summary>Gets <c>do_lower_case</c> from <c>sentence_bert_config.json</c>.</summary>
    public bool? DoLowerCase { get; private init; }

    /// <summary>Gets the named prompts.</summary>
    public IReadOnlyDictionary<string, string> Prompts { get; private init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets the prompt applied when a call names none.</summary>
    public string? DefaultPromptName { get; private init; }

    /// <summary>Reads the sentence-transformers files of a folder.</summary>
    /// <exception cref="InvalidDataException">A file is malformed or names a path outside the folder.</exception>
    /// <exception cref="NotSupportedException">A module type is not supported.</exception>
    public static SentenceTransformersConfig Read(ModelFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string transformerPath = string.Empty;
        PoolingMode pooling = PoolingMode.Mean;
        int? wordDimension = null;
        bool includePrompt = true;
        var postPooling = new List<DenseLayer?>();
        bool hasModules = folder.TryResolveFile("modules.json", "modules.json", out string modulesPath);
        if (hasModules)
        {
            bool sawPooling = false;
            using JsonDocument modules = ParseArray(modulesPath);
            int index = 0;
            foreach (JsonElement module in modules.RootElement.EnumerateArray())
            {
                string at = $"$[{index}]";
                if (module.ValueKind != JsonValueKind.Object)
                {
                    throw new InvalidDataException($"{modulesPath}: expected an object at {at}.");
                }

                string type = ConfigJson.GetString(module, "type", modulesPath, at) ?? throw new InvalidDataException($"{modulesPath}: missing {at}.type.");
                string path = ConfigJson.GetString(module, "path", modulesPath, at) ?? string.Empty;
                string modulePath = folder.Resolve(path, $"{modulesPath} {at}.path");
                string prefix = path.Length == 0 ? string.Empty : path.TrimEnd('/', '\\') + "/";

                // The files inside a module folder must not lead outside either (a symbolic link is data too).
                folder.Resolve(prefix + "config.json", $"{modulesPath} {at}");
                folder.Resolve(prefix + "model.safetensors", $"{modulesPath} {at}");
                switch (type)
                {
                    case TransformerType:
                        if (index != 0)
                        {
                            throw new NotSupportedException($"{modulesPath}: the Transformer module must come first, found it at {at}.");
                        }

                        transformerPath = path;
                        break;
                    case PoolingType:
                        (pooling, wordDimension, includePrompt) = ReadPooling(Path.Combine(modulePath, "config.json"));
                        sawPooling = true;
                        break;
                    case DenseType:
                        if (!sawPooling)
                        {
                            throw new NotSupportedException($"{modulesPath}: a Dense module before Pooling ({at}) is not supported.");
                        }

                        postPooling.Add(DenseLayer.Load(modulePath));
                        break;
                    case NormalizeType:
                        postPooling.Add(null);
                        break;
                    default:
                        throw new NotSupportedException($"{modulesPath}: module type '{type}' at {at}.type is not supported (Transformer, Pooling, Dense, Normalize).");
                }

                index++;
            }

            if (!sawPooling)
            {
                // Without a Pooling module sentence-transformers returns token embeddings.
                pooling = PoolingMode.None;
            }
        }

        int? maxLength = null;
        string? maxLengthSource = null;
        bool? lowerCase = null;
        string bertConfigName = transformerPath.Length == 0 ? "sentence_bert_config.json" : transformerPath.TrimEnd('/') + "/sentence_bert_config.json";
        if (folder.TryResolveFile(bertConfigName, "modules.json", out string bertConfigPath))
        {
            using JsonDocument bertConfig = ConfigJson.ParseObject(bertConfigPath);
            maxLength = ConfigJson.GetInt32(bertConfig.RootElement, "max_seq_length", bertConfigPath);
            maxLengthSource = $"{bertConfigPath} $.max_seq_length";
            lowerCase = ConfigJson.GetBoolean(bertConfig.RootElement, "do_lower_case", bertConfigPath);
        }

        var prompts = new Dictionary<string, string>(StringComparer.Ordinal);
        string? defaultPrompt = null;
        if (folder.TryResolveFile("config_sentence_transformers.json", "config_sentence_transformers.json", out string stConfigPath))
        {
            using JsonDocument stConfig = ConfigJson.ParseObject(stConfigPath);
            JsonElement root = stConfig.RootElement;
            if (root.TryGetProperty("prompts", out JsonElement promptsElement) && promptsElement.ValueKind != JsonValueKind.Null)
            {
                if (promptsElement.ValueKind != JsonValueKind.Object)
                {
                    throw ConfigJson.Invalid(stConfigPath, "$.prompts", "an object of name → prompt", promptsElement);
                }

                foreach (JsonProperty prompt in promptsElement.EnumerateObject())
                {
                    if (prompt.Value.ValueKind != JsonValueKind.String)
                    {
                        throw ConfigJson.Invalid(stConfigPath, $"$.prompts[\"{prompt.Name}\"]", "a string", prompt.Value);
                    }

                    prompts[prompt.Name] = prompt.Value.GetString()!;
                }
            }

            defaultPrompt = ConfigJson.GetString(root, "default_prompt_name", stConfigPath);
            if (defaultPrompt is not null && !prompts.ContainsKey(defaultPrompt))
            {
                throw new InvalidDataException($"{stConfigPath}: $.default_prompt_name '{defaultPrompt}' is not one of $.prompts ({string.Join(", ", prompts.Keys)}).");
            }
        }

        return new SentenceTransformersConfig
        {
            HasModules = hasModules,
            Pooling = pooling,
            WordEmbeddingDimension = wordDimension,
            IncludePrompt = includePrompt,
            PostPooling = postPooling,
            MaxSequenceLength = maxLength,
            MaxSequenceLengthSource = maxLengthSource,
            DoLowerCase = lowerCase,
            Prompts = prompts,
            DefaultPromptName = defaultPrompt,
        };
    }

    private static JsonDocument ParseArray(string path)
    {
        JsonDocument document;
        try
        {
            byte[] bytes = ModelFileReader.ReadAllBytes(path);
            JsonStrings.ThrowIfUnreadable(bytes, path);
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path}: not valid JSON at line {exception.LineNumber + 1}, byte {exception.BytePositionInLine}: {exception.Message}", exception);
        }

        if (document.RootElement.ValueKind != JsonValueKind.Array)
        {
            document.Dispose();
            throw new InvalidDataException($"{path}: expected a JSON array of modules at $.");
        }

        return document;
    }

    private static (PoolingMode Mode, int? Dimension, bool IncludePrompt) ReadPooling(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Pooling config not found: {path}", path);
        }

        using JsonDocument config = ConfigJson.ParseObject(path);
        JsonElement root = config.RootElement;
        PoolingMode mode = PoolingMode.None;
        string? named = ConfigJson.GetString(root, "pooling_mode", path);
        if (named is not null)
        {
            mode = ParsePoolingName(named) ?? throw new NotSupportedException($"{path}: pooling mode '{named}' at $.pooling_mode is not supported.");
        }

        mode |= Flag(root, "pooling_mode_cls_token", PoolingMode.Cls, path)
            | Flag(root, "pooling_mode_mean_tokens", PoolingMode.Mean, path)
            | Flag(root, "pooling_mode_max_tokens", PoolingMode.Max, path)
            | Flag(root, "pooling_mode_mean_sqrt_len_tokens", PoolingMode.MeanSqrtLen, path)
            | Flag(root, "pooling_mode_weightedmean_tokens", PoolingMode.WeightedMean, path)
            | Flag(root, "pooling_mode_lasttoken", PoolingMode.LastToken, path);
        if (mode == PoolingMode.None)
        {
            throw new InvalidDataException($"{path}: no pooling mode is enabled (expected one of $.pooling_mode_* to be true).");
        }

        int? dimension = ConfigJson.GetInt32(root, "word_embedding_dimension", path);
        bool includePrompt = ConfigJson.GetBoolean(root, "include_prompt", path) ?? true;
        return (mode, dimension, includePrompt);
    }

    private static PoolingMode Flag(JsonElement root, string name, PoolingMode mode, string path) =>
        ConfigJson.GetBoolean(root, name, path) == true ? mode : PoolingMode.None;

    /// <summary>Maps sentence-transformers' and the CLI's pooling names to modes.</summary>
    internal static PoolingMode? ParsePoolingName(string name) => name switch
    {
        "cls" => PoolingMode.Cls,
        "mean" => PoolingMode.Mean,
        "max" => PoolingMode.Max,
        "mean_sqrt_len_tokens" or "meansqrtlen" => PoolingMode.MeanSqrtLen,
        "weightedmean" => PoolingMode.WeightedMean,
        "lasttoken" => PoolingMode.LastToken,
        "none" => PoolingMode.None,
        _ => null,
    };
}
