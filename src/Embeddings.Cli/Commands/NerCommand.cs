using System.Text;
using System.Text.Json;
using Embeddings.Text;

namespace Embeddings.Cli;

/// <summary><c>embeddings ner</c>: the named entities of every input line as JSON lines.</summary>
/// <remarks>Exit 0 ok, 2 bad usage, 1 runtime error with one stderr line naming the input.</remarks>
internal static class NerCommand
{
    private const int GroupSize = 1024;

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? model = null;
        string? input = null;
        string? outputPath = null;
        bool jsonLines = false;
        var aggregation = EntityAggregation.Simple;
        var recognizerOptions = new EntityRecognizerOptions();
        try
        {
            var arguments = new CommandArguments(args, "ner");
            while (arguments.Next() is { } option)
            {
                switch (option)
                {
                    case "--model":
                        model = arguments.Value();
                        break;
                    case "--model-file":
                        recognizerOptions.ModelFileName = arguments.Value();
                        break;
                    case "--aggregation":
                        string value = arguments.Value();
                        aggregation = value switch
                        {
                            "simple" => EntityAggregation.Simple,
                            "first" => EntityAggregation.First,
                            _ => throw new UsageException($"--aggregation must be simple or first, not '{value}'"),
                        };
                        break;
                    case "--max-length":
                        recognizerOptions.MaxLength = arguments.PositiveInteger();
                        break;
                    case "--stride":
                        recognizerOptions.Stride = arguments.NonNegativeInteger();
                        break;
                    case "--batch-tokens":
                        recognizerOptions.BatchTokenBudget = arguments.PositiveInteger();
                        break;
                    case "--input":
                        input = arguments.Value();
                        break;
                    case "--jsonl":
                        jsonLines = true;
                        break;
                    case "--output":
                        outputPath = arguments.Value();
                        break;
                    default:
                        throw arguments.Unknown(option);
                }
            }

            if (model is null)
            {
                throw new UsageException("--model DIR is required");
            }
        }
        catch (UsageException exception)
        {
            return CommandLine.BadUsage(stderr, "ner", exception.Message);
        }

        string source = InputText.SourceName(input);
        try
        {
            List<InputText> inputs = InputText.Read(input, jsonLines, stdin);
            using EntityRecognizer recognizer = CommandLine.WithOptionsAsUsage(() => EntityRecognizer.Create(model, recognizerOptions));
            using StreamWriter? file = outputPath is null ? null : new StreamWriter(outputPath, append: false, new UTF8Encoding(false));
            using var lines = new JsonLinesWriter(file ?? stdout);
            for (int start = 0; start < inputs.Count; start += GroupSize)
            {
                List<InputText> group = inputs.GetRange(start, System.Math.Min(GroupSize, inputs.Count - start));
                string[] texts = group.ConvertAll(i => i.Text).ToArray();
                IReadOnlyList<TokenClassification> results = EmbedCommand.Guard(group, source, () => recognizer.Recognize(texts, aggregation), t => recognizer.Recognize(t, aggregation));
                for (int r = 0; r < results.Count; r++)
                {
                    Utf8JsonWriter json = lines.BeginLine();
                    json.WriteStartObject();
                    json.WriteStartArray("entities");
                    foreach (NamedEntity entity in results[r].Entities)
                    {
                        json.WriteStartObject();
                        json.WriteString("label", entity.Label);
                        json.WriteNumber("start", entity.Start);
                        json.WriteNumber("end", entity.End);
                        json.WriteString("text", entity.Text);
                        json.WritePropertyName("score");
                        JsonLinesWriter.WriteFloat(json, entity.Score, InputText.Locate(source, group[r].Line));
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                    lines.EndLine();
                }
            }

            return 0;
        }
        catch (UsageException exception)
        {
            return CommandLine.BadUsage(stderr, "ner", exception.Message);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            stderr.WriteLine($"embeddings ner: {CommandLine.OneLine(exception.Message)}");
            return 1;
        }
    }
}
