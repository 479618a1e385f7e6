using System.Globalization;
using System.Text.Json;

namespace Embeddings.Tokenization;

/// <summary>Reads <c>tokenizer.json</c>, <c>tokenizer_config.json</c> and <c>vocab.txt</c> into a <see cref="TokenizerDefinition"/>.</summary>
internal sealed class TokenizerFileReader
{
    private readonly string _file;

    private TokenizerFileReader(string file) => _file = file;

    /// <summary>Reads a Hugging Face <c>tokenizer.json</c>.</summary>
    public static TokenizerDefinition ReadTokenizerJson(string path)
    {
        var reader = new TokenizerFileReader(path);
        using JsonDocument document = reader.Parse();
        return reader.ReadTokenizer(document.RootElement);
    }

    /// <summary>Reads a <c>vocab.txt</c>: one token per line, the line number being the id.</summary>
    public static Dictionary<string, int> ReadVocabulary(string path)
    {
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        int id = 0;
        using StreamReader reader = ModelFileReader.OpenText(path);
        while (reader.ReadLine() is { } line)
        {
            vocabulary[line] = id++;
        }

        if (id == 0)
        {
            throw new InvalidDataException($"{path}: expected one token per line but the file is empty.");
        }

        return vocabulary;
    }

    /// <summary>Applies the relevant settings of <c>tokenizer_config.json</c> to a definition.</summary>
    public static void ApplyConfig(string path, TokenizerDefinition definition)
    {
        var reader = new TokenizerFileReader(path);
        using JsonDocument document = reader.Parse();
        JsonElement root = reader.Object(document.RootElement, "$");
        definition.ModelMaxLength = reader.ModelMaxLength(root);
        definition.ClassifierToken = reader.TokenName(root, "cls_token") ?? definition.ClassifierToken;
        definition.SeparatorToken = reader.TokenName(root, "sep_token") ?? definition.SeparatorToken;
        definition.PaddingToken = reader.TokenName(root, "pad_token") ?? definition.PaddingToken;
    }

    /// <summary>Reads <c>tokenizer_config.json</c> into options for a bare vocabulary.</summary>
    public static BertTokenizerOptions ReadOptions(string path)
    {
        var reader = new TokenizerFileReader(path);
        using JsonDocument document = reader.Parse();
        JsonElement root = reader.Object(document.RootElement, "$");
        var defaults = new BertTokenizerOptions();
        return new BertTokenizerOptions
        {
            LowerCase = reader.OptionalBool(root, "do_lower_case", "$") ?? true,
            TokenizeChineseChars = reader.OptionalBool(root, "tokenize_chinese_chars", "$") ?? true,
            StripAccents = reader.OptionalBool(root, "strip_accents", "$"),
            ModelMaxLength = reader.ModelMaxLength(root),
            UnknownToken = reader.TokenName(root, "unk_token") ?? defaults.UnknownToken,
            ClassifierToken = reader.TokenName(root, "cls_token") ?? defaults.ClassifierToken,
            SeparatorToken = reader.TokenName(root, "sep_token") ?? defaults.SeparatorToken,
            PaddingToken = reader.TokenName(root, "pad_token") ?? defaults.PaddingToken,
            MaskToken = reader.TokenName(root, "mask_token") ?? defaults.MaskToken,
        };
    }

    private JsonDocument Parse()
    {
        try
        {
            byte[] bytes = ModelFileReader.ReadAllBytes(_file);
            JsonStrings.ThrowIfUnreadable(bytes, _file);
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException(
                $"{_file}: not valid JSON at line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}: {exception.Message}",
                exception);
        }
    }

    private TokenizerDefinition ReadTokenizer(JsonElement root)
    {
        root = Object(root, "$");
        JsonElement model = Object(Required(root, "model", "$"), "$.model");
        string? modelType = OptionalString(model, "type", "$.model");
        if (modelType is null && model.TryGetProperty("merges", out _))
        {
            modelType = "BPE";
        }
        else if (modelType is null && model.TryGetProperty("vocab", out JsonElement untyped) && untyped.ValueKind == JsonValueKind.Array)
        {
            modelType = "Unigram";
        }

        if (modelType is not null && modelType != "WordPiece")
        {
            throw new NotSupportedException($"{_file}: tokenizer model type '{modelType}' at $.model.type is not supported; only WordPiece is.");
        }

        JsonElement vocabElement = Object(Required(model, "vocab", "$.model"), "$.model.vocab");
        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (JsonProperty entry in vocabElement.EnumerateObject())
        {
            vocabulary[entry.Name] = Int(entry.Value, $"$.model.vocab[{Quote(entry.Name)}]", minimum: 0);
        }

        var added = new List<AddedToken>();
        if (root.TryGetProperty("added_tokens", out JsonElement addedElement) && addedElement.ValueKind != JsonValueKind.Null)
        {
            if (addedElement.ValueKind != JsonValueKind.Array)
            {
                throw Invalid("$.added_tokens", "an array");
            }

            int index = 0;
            foreach (JsonElement item in addedElement.EnumerateArray())
            {
                string path = $"$.added_tokens[{index++}]";
                Object(item, path);
                bool special = OptionalBool(item, "special", path) ?? false;
                added.Add(new AddedToken(
                    String(Required(item, "content", path), path + ".content"),
                    Int(Required(item, "id", path), path + ".id", minimum: 0),
                    special,
                    OptionalBool(item, "normalized", path) ?? !special,
                    OptionalBool(item, "lstrip", path) ?? false,
                    OptionalBool(item, "rstrip", path) ?? false));
            }
        }

        ReadTruncation(root);
        int? padId = ReadPadding(root);
        string unknown = String(Required(model, "unk_token", "$.model"), "$.model.unk_token");
        foreach (AddedToken token in added)
        {
            vocabulary[token.Content] = token.Id;
        }

        return new TokenizerDefinition
        {
            Source = _file,
            Normalization = [.. ReadNormalizer(Optional(root, "normalizer"), "$.normalizer")],
            PreTokenizers = [.. ReadPreTokenizer(Optional(root, "pre_tokenizer"), "$.pre_tokenizer")],
            Vocabulary = vocabulary,
            UnknownToken = unknown,
            ContinuingSubwordPrefix = OptionalString(model, "continuing_subword_prefix", "$.model") ?? "##",
            MaxInputCharsPerWord = OptionalInt(model, "max_input_chars_per_word", "$.model") ?? 100,
            AddedTokens = added,
            Template = ReadPostProcessor(Optional(root, "post_processor"), "$.post_processor", vocabulary) ?? PostProcessorTemplate.None,
            PadId = padId,
        };
    }

    private List<NormalizationStep> ReadNormalizer(JsonElement? element, string path)
    {
        var steps = new List<NormalizationStep>();
        if (element is not { } normalizer)
        {
            return steps;
        }

        Object(normalizer, path);
        string type = String(Required(normalizer, "type", path), path + ".type");
        switch (type)
        {
            case "BertNormalizer":
                bool lowercase = OptionalBool(normalizer, "lowercase", path) ?? true;
                steps.AddRange(TokenizerDefinition.BertNormalizerSteps(
                    OptionalBool(normalizer, "clean_text", path) ?? true,
                    OptionalBool(normalizer, "handle_chinese_chars", path) ?? true,
                    OptionalBool(normalizer, "strip_accents", path),
                    lowercase));
                break;
            case "Sequence":
                JsonElement list = Required(normalizer, "normalizers", path);
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw Invalid(path + ".normalizers", "an array");
                }

                int index = 0;
                foreach (JsonElement item in list.EnumerateArray())
                {
                    steps.AddRange(ReadNormalizer(item, $"{path}.normalizers[{index++}]"));
                }

                break;
            case "NFD":
                steps.Add(NormalizationStep.DecomposeCanonical);
                break;
            case "Lowercase":
                steps.Add(NormalizationStep.Lowercase);
                break;
            case "StripAccents":
                steps.Add(NormalizationStep.StripMarks);
                break;
            default:
                throw new NotSupportedException($"{_file}: normalizer type '{type}' at {path}.type is not supported.");
        }

        return steps;
    }

    private List<PreTokenizerKind> ReadPreTokenizer(JsonElement? element, string path)
    {
        var kinds = new List<PreTokenizerKind>();
        if (element is not { } preTokenizer)
        {
            return kinds;
        }

        Object(preTokenizer, path);
        string type = String(Required(preTokenizer, "type", path), path + ".type");
        switch (type)
        {
            case "BertPreTokenizer":
                kinds.Add(PreTokenizerKind.Bert);
                break;
            case "Whitespace":
                kinds.Add(PreTokenizerKind.Whitespace);
                break;
            case "WhitespaceSplit":
                kinds.Add(PreTokenizerKind.WhitespaceSplit);
                break;
            case "Punctuation":
                kinds.Add(PreTokenizerKind.Punctuation);
                break;
            case "Sequence":
                JsonElement list = Required(preTokenizer, "pretokenizers", path);
                if (list.ValueKind != JsonValueKind.Array)
                {
                    throw Invalid(path + ".pretokenizers", "an array");
                }

                int index = 0;
                foreach (JsonElement item in list.EnumerateArray())
                {
                    kinds.AddRange(ReadPreTokenizer(item, $"{path}.pretokenizers[{index++}]"));
                }

                break;
            default:
                throw new NotSupportedException($"{_file}: pre-tokenizer type '{type}' at {path}.type is not supported.");
        }

        return kinds;
    }

    private PostProcessorTemplate? ReadPostProcessor(JsonElement? element, string path, Dictionary<string, int> vocabulary)
    {
        if (element is not { } processor)
        {
            return null;
        }

        Object(processor, path);
        string type = String(Required(processor, "type", path), path + ".type");
        switch (type)
        {
            case "BertProcessing" or "RobertaProcessing":
                int sep = Int(Index(Required(processor, "sep", path), 1, path + ".sep"), path + ".sep[1]", minimum: 0);
                int cls = Int(Index(Required(processor, "cls", path), 1, path + ".cls"), path + ".cls[1]", minimum: 0);

                // RobertaProcessing's trim_offsets and add_prefix_space only move offsets over byte-level 'Ġ' and
                // whitespace inside tokens, which WordPiece tokens never hold.
                return type == "BertProcessing" ? PostProcessorTemplate.Bert(cls, sep) : PostProcessorTemplate.Roberta(cls, sep);
            case "TemplateProcessing":
                var specials = new Dictionary<string, int[]>(StringComparer.Ordinal);
                if (Optional(processor, "special_tokens") is { } map)
                {
                    Object(map, path + ".special_tokens");
                    foreach (JsonProperty entry in map.EnumerateObject())
                    {
                        string entryPath = $"{path}.special_tokens[{Quote(entry.Name)}]";
                        JsonElement ids = Required(Object(entry.Value, entryPath), "ids", entryPath);
                        if (ids.ValueKind != JsonValueKind.Array)
                        {
                            throw Invalid(entryPath + ".ids", "an array of token ids");
                        }

                        var list = new List<int>();
                        int k = 0;
                        foreach (JsonElement id in ids.EnumerateArray())
                        {
                            list.Add(Int(id, $"{entryPath}.ids[{k++}]", minimum: 0));
                        }

                        specials[entry.Name] = [.. list];
                    }
                }

                TemplatePiece[] single = ReadTemplate(Required(processor, "single", path), path + ".single", specials, vocabulary);
                TemplatePiece[] pair = ReadTemplate(Required(processor, "pair", path), path + ".pair", specials, vocabulary);
                RequireSequences(single, path + ".single", expectedB: 0);
                RequireSequences(pair, path + ".pair", expectedB: 1);
                return new PostProcessorTemplate(single, pair);
            default:
                throw new NotSupportedException($"{_file}: post-processor type '{type}' at {path}.type is not supported.");
        }
    }

    /// <summary>Refuses templates that drop or repeat a sequence: encodings are laid out with each sequence exactly once.</summary>
    private void RequireSequences(TemplatePiece[] pieces, string path, int expectedB)
    {
        int a = 0;
        int b = 0;
        foreach (TemplatePiece piece in pieces)
        {
            if (piece.SpecialIds is null)
            {
                a += piece.Sequence == 0 ? 1 : 0;
                b += piece.Sequence == 1 ? 1 : 0;
            }
        }

        if (a != 1 || b != expectedB)
        {
            throw new NotSupportedException(
                $"{_file}: the template at {path} uses sequence A {a} times and B {b} times; only templates with A once{(expectedB == 1 ? " and B once" : " and no B")} are supported.");
        }
    }

    private TemplatePiece[] ReadTemplate(JsonElement element, string path, Dictionary<string, int[]> specials, Dictionary<string, int> vocabulary)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "an array of template items");
        }

        var pieces = new List<TemplatePiece>();
        int index = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            string itemPath = $"{path}[{index++}]";
            Object(item, itemPath);
            if (Optional(item, "SpecialToken") is { } special)
            {
                string specialPath = itemPath + ".SpecialToken";
                string name = String(Required(Object(special, specialPath), "id", specialPath), specialPath + ".id");
                int typeId = Int(Required(special, "type_id", specialPath), specialPath + ".type_id", minimum: 0);
                if (!specials.TryGetValue(name, out int[]? ids))
                {
                    ids = vocabulary.TryGetValue(name, out int id)
                        ? [id]
                        : throw Invalid(specialPath + ".id", $"a token listed in special_tokens or the vocabulary, not '{name}'");
                }

                pieces.Add(new TemplatePiece(ids, 0, typeId));
            }
            else if (Optional(item, "Sequence") is { } sequence)
            {
                string sequencePath = itemPath + ".Sequence";
                string id = String(Required(Object(sequence, sequencePath), "id", sequencePath), sequencePath + ".id");
                int typeId = Int(Required(sequence, "type_id", sequencePath), sequencePath + ".type_id", minimum: 0);
                pieces.Add(new TemplatePiece(null, id switch
                {
                    "A" => 0,
                    "B" => 1,
                    _ => throw Invalid(sequencePath + ".id", "\"A\" or \"B\""),
                }, typeId));
            }
            else
            {
                throw Invalid(itemPath, "an object with SpecialToken or Sequence");
            }
        }

        return [.. pieces];
    }

    private void ReadTruncation(JsonElement root)
    {
        if (Optional(root, "truncation") is not { } truncation)
        {
            return;
        }

        // Read for validation only: a call's own truncation settings win, as in Hugging Face transformers.
        Object(truncation, "$.truncation");
        _ = OptionalInt(truncation, "max_length", "$.truncation");
        _ = OptionalInt(truncation, "stride", "$.truncation");
        _ = OptionalString(truncation, "strategy", "$.truncation");
        _ = OptionalString(truncation, "direction", "$.truncation");
    }

    private int? ReadPadding(JsonElement root)
    {
        if (Optional(root, "padding") is not { } padding)
        {
            return null;
        }

        // Read for the pad id only: a fixed length in the file never forces padding, as in Hugging Face transformers.
        Object(padding, "$.padding");
        _ = OptionalString(padding, "direction", "$.padding");
        return OptionalInt(padding, "pad_id", "$.padding");
    }

    private int? ModelMaxLength(JsonElement root)
    {
        if (Optional(root, "model_max_length") is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double length) || length < 0)
        {
            throw Invalid("$.model_max_length", "a non-negative number");
        }

        // Hugging Face writes a huge sentinel (1e30) when the length is unknown.
        return length > int.MaxValue ? null : (int)length;
    }

    private string? TokenName(JsonElement root, string name)
    {
        if (Optional(root, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Object => String(Required(value, "content", "$." + name), $"$.{name}.content"),
            _ => throw Invalid("$." + name, "a string or an object with content"),
        };
    }

    private static JsonElement? Optional(JsonElement obj, string name)
        => obj.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private JsonElement Required(JsonElement obj, string name, string path)
        => Optional(obj, name) ?? throw Invalid($"{path}.{name}", "present");

    private JsonElement Object(JsonElement element, string path)
        => element.ValueKind == JsonValueKind.Object ? element : throw Invalid(path, "an object");

    private JsonElement Index(JsonElement element, int index, string path)
        => element.ValueKind == JsonValueKind.Array && element.GetArrayLength() > index
            ? element[index]
            : throw Invalid(path, $"an array with at least {index + 1} items");

    private string String(JsonElement element, string path)
        => element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Invalid(path, "a string");

    private int Int(JsonElement element, string path, int minimum)
        => element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int value) && value >= minimum
            ? value
            : throw Invalid(path, $"an integer of at least {minimum.ToString(CultureInfo.InvariantCulture)}");

    private string? OptionalString(JsonElement obj, string name, string path)
        => Optional(obj, name) is { } value ? String(value, $"{path}.{name}") : null;

    private int? OptionalInt(JsonElement obj, string name, string path)
        => Optional(obj, name) is { } value ? Int(value, $"{path}.{name}", minimum: 0) : null;

    private bool? OptionalBool(JsonElement obj, string name, string path)
    {
        if (Optional(obj, name) is not { } value)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid($"{path}.{name}", "true, false or null"),
        };
    }

    private static string Quote(string name) => JsonSerializer.Serialize(name);

    private InvalidDataException Invalid(string path, string expected)
        => new($"{_file}: {path} must be {expected}.");
}
