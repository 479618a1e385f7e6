using System.Globalization;
using System.Text.Json;

namespace Embeddings.Cli;

/// <summary>One input text with its 1-based line number, read from plain lines or JSON lines.</summary>
/// <param name="Line">The 1-based line number in the source.</param>
/// <param name="Text">The text.</param>
internal sealed record InputText(int Line, string Text)
{
    /// <summary>Names a source in messages: the path, or <c>stdin</c> for none or <c>-</c>.</summary>
    public static string SourceName(string? path) => path is null or "-" ? "stdin" : path;

    /// <summary>Names a line in messages, as compilers do: <c>source:line</c>.</summary>
    public static string Locate(string source, int line) => string.Create(CultureInfo.InvariantCulture, $"{source}:{line}");

    /// <summary>The most bytes one input line may have: four times the embedders' default character limit, so every
    /// text within that limit fits whatever its script, and a single endless line cannot exhaust memory.</summary>
    public const int MaxLineBytes = 4 * Embeddings.Text.TextEmbedderOptions.DefaultMaxCharacters;

    /// <summary>Reads every input at once; see <see cref="ReadLines"/>.</summary>
    /// <exception cref="InputException">The file cannot be opened, a line is not UTF-8 or too long, or a JSON line is malformed.</exception>
    public static List<InputText> Read(string? path, bool jsonLines, TextReader stdin) => [.. ReadLines(path, jsonLines, stdin)];

    /// <summary>Streams the inputs of a file or stdin; JSON lines when <paramref name="jsonLines"/> is set or the path ends in <c>.jsonl</c>.</summary>
    /// <remarks>
    /// A JSON line is an object with a string <c>"text"</c> or a bare JSON string; blank JSON lines are skipped.
    /// Files, and stdin when it is a <see cref="StreamReader"/> (as <see cref="Program"/> passes it), are read as bytes:
    /// invalid UTF-8 and lines over <see cref="MaxLineBytes"/> are refused with the line and byte offset, never replaced.
    /// </remarks>
    /// <exception cref="InputException">The file cannot be opened (thrown at once), or a line is not UTF-8, too long or malformed JSON (thrown when reached).</exception>
    public static IEnumerable<InputText> ReadLines(string? path, bool jsonLines, TextReader stdin)
    {
        string source = SourceName(path);
        bool fromStdin = path is null or "-";
        jsonLines |= !fromStdin && path!.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase);
        if (fromStdin)
        {
            // A StreamReader nothing has read from yet is read at the byte level; other readers (tests) hold strings already.
            return stdin is StreamReader reader
                ? Enumerate(new Utf8LineReader(reader.BaseStream, source, MaxLineBytes, leaveOpen: true), jsonLines, source)
                : Enumerate(stdin, jsonLines, source);
        }

        return Enumerate(Open(path!), jsonLines, source);
    }

    /// <summary>Streams the plain lines of a file (labels, counts, vectors), with the checks of <see cref="ReadLines"/>.</summary>
    /// <exception cref="InputException">The file cannot be opened (thrown at once), or a line is not UTF-8 or too long (thrown when reached).</exception>
    public static IEnumerable<InputText> ReadFile(string path) => Enumerate(Open(path), jsonLines: false, path);

    private static Utf8LineReader Open(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                throw new InputException($"{path}: is a folder, not a file");
            }

            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            return new Utf8LineReader(stream, path, MaxLineBytes, leaveOpen: false);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: {CommandLine.OneLine(exception.Message)}", exception);
        }
    }

    private static IEnumerable<InputText> Enumerate(Utf8LineReader reader, bool jsonLines, string source)
    {
        using (reader)
        {
            while (reader.ReadLine() is { } text)
            {
                if (Select(reader.LineNumber, text, jsonLines, source) is { } input)
                {
                    yield return input;
                }
            }
        }
    }

    private static IEnumerable<InputText> Enumerate(TextReader reader, bool jsonLines, string source)
    {
        int line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length > MaxLineBytes)
            {
                throw new InputException($"{Locate(source, line)}: the line is longer than {MaxLineBytes} characters, the limit of one input line");
            }

            if (Select(line, text, jsonLines, source) is { } input)
            {
                yield return input;
            }
        }
    }

    private static InputText? Select(int line, string text, bool jsonLines, string source) =>
        !jsonLines ? new InputText(line, text)
        : string.IsNullOrWhiteSpace(text) ? null
        : new InputText(line, ParseJsonText(text, source, line));

    private static string ParseJsonText(string text, string source, int line)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.String)
            {
                return root.GetString()!;
            }

            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("text", out JsonElement value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString()!;
            }
        }
        catch (JsonException exception)
        {
            throw new InputException($"{Locate(source, line)}: not valid JSON: {CommandLine.OneLine(exception.Message)}", exception);
        }
        catch (InvalidOperationException exception)
        {
            // System.Text.Json refuses a string whose \u escapes leave a surrogate unpaired: not valid Unicode text.
            throw new InputException($"{Locate(source, line)}: the JSON string is not valid Unicode: {CommandLine.OneLine(exception.Message)}", exception);
        }

        throw new InputException($"{Locate(source, line)}: expected a JSON object with a string \"text\", or a JSON string");
    }
}

/// <summary>A malformed or unreadable input, named by its source and line: exit code 1.</summary>
internal sealed class InputException : Exception
{
    public InputException(string message)
        : base(message)
    {
    }

    public InputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
