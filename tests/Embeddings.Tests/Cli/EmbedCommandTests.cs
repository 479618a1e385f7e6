using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Embeddings.Cli;
using Embeddings.Tests.Text;

namespace Embeddings.Tests.Cli;

public class EmbedCommandTests
{
    private static (int Exit, string Out, string Err) Run(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exit = EmbedCommand.Run(args, new StringReader(stdin), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static List<ExpectedCase> SingleLineCases(TextExpectations expected) =>
        expected.Cases.Where(c => !c.Text.Contains('\n', StringComparison.Ordinal) && !c.Text.Contains('\r', StringComparison.Ordinal)).ToList();

    [Fact]
    public void Embed_OnlyAVariantOnnxFile_NamesItAndModelFileSelectsIt()
    {
        // Hugging Face/Xenova folders often ship onnx/model_quantized.onnx and friends; here the variant is the float model renamed.
        TextExpectations expected = TextExpectations.Load("bert-mean");
        ExpectedCase first = SingleLineCases(expected)[0];
        using var folder = new Embeddings.Tests.Vision.TemporaryFolder();
        foreach (string file in Directory.EnumerateFiles(expected.Folder))
        {
            File.Copy(file, Path.Combine(folder.Path, Path.GetFileName(file)));
        }

        Directory.CreateDirectory(Path.Combine(folder.Path, "1_Pooling"));
        File.Copy(Path.Combine(expected.Folder, "1_Pooling", "config.json"), Path.Combine(folder.Path, "1_Pooling", "config.json"));
        Directory.CreateDirectory(Path.Combine(folder.Path, "onnx"));
        File.Copy(Path.Combine(expected.Folder, "onnx", "model.onnx"), Path.Combine(folder.Path, "onnx", "model_quantized.onnx"));

        (int exit, _, string error) = Run(first.Text + "\n", "--model", folder.Path);
        Assert.Equal(1, exit);
        Assert.Contains("onnx/model_quantized.onnx", error, StringComparison.Ordinal);
        Assert.Contains("--model-file", error, StringComparison.Ordinal);

        (exit, string output, error) = Run(first.Text + "\n", "--model", folder.Path, "--model-file", "model_quantized.onnx");
        Assert.True(exit == 0, error);
        float[] vector = JsonDocument.Parse(output).RootElement.GetProperty("embedding").EnumerateArray().Select(e => float.Parse(e.GetRawText(), CultureInfo.InvariantCulture)).ToArray();
        TextExpectations.AssertClose(first.Pooled["mean:raw"], vector, first.Name);
    }

    [Fact]
    public void Embed_FolderDefaults_MatchPyTorchMean()
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        List<ExpectedCase> cases = SingleLineCases(expected);
        (int exit, string output, string error) = Run(string.Join("\n", cases.Select(c => c.Text)) + "\n", "--model", expected.Folder);

        Assert.True(exit == 0, error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cases.Count, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            float[] vector = JsonDocument.Parse(lines[i]).RootElement.GetProperty("embedding").EnumerateArray().Select(e => float.Parse(e.GetRawText(), CultureInfo.InvariantCulture)).ToArray();
            TextExpectations.AssertClose(cases[i].Pooled["mean:raw"], vector, cases[i].Name);
        }
    }

    [Fact]
    public void Embed_PoolingAndNormalizeFlags_OverrideFolder()
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        ExpectedCase c = expected.Cases[1];
        (int exit, string output, string error) = Run(c.Text + "\n", "--model", expected.Folder, "--pooling", "cls", "--normalize");

        Assert.True(exit == 0, error);
        float[] vector = JsonDocument.Parse(output).RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        TextExpectations.AssertClose(c.Pooled["cls:normalized"], vector, c.Name);
    }

    [Fact]
    public void Embed_PoolingNone_WritesIdsOffsetsAndTokenVectors()
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        ExpectedCase c = expected.Cases[0];
        (int exit, string output, string error) = Run(JsonSerializer.Serialize(new { text = c.Text }) + "\n", "--model", expected.Folder, "--pooling", "none", "--jsonl");

        Assert.True(exit == 0, error);
        JsonElement root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(c.InputIds, root.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(c.InputIds.Length, root.GetProperty("offsets").GetArrayLength());
        float[] flat = root.GetProperty("embeddings").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(e => e.GetSingle())).ToArray();
        TextExpectations.AssertClose(c.LastHiddenState, flat, c.Name);
    }

    [Fact]
    public void Embed_NpyFormat_WritesLoadableFloat32Matrix()
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        using TempFolder folder = new();
        string path = Path.Combine(folder.Path, "out.npy");
        (int exit, _, string error) = Run("Hello, world!\nThe quick brown fox jumps over the lazy dog.\n", "--model", expected.Folder, "--format", "npy", "--output", path);

        Assert.True(exit == 0, error);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(0x93, bytes[0]);
        Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Equal(0, (10 + headerLength) % 64);
        Assert.Contains("'shape': (2, 64)", header, StringComparison.Ordinal);
        float[] first = new float[64];
        for (int d = 0; d < 64; d++)
        {
            first[d] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(10 + headerLength + (d * 4)));
        }

        TextExpectations.AssertClose(expected.Cases.Single(c => c.Name == "ascii_hello").Pooled["mean:raw"], first, "npy row 0");
    }

    [Fact]
    public void Embed_FloatsRoundTrip()
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        (_, string output, _) = Run("Hello, world!\n", "--model", expected.Folder);
        using Embeddings.Text.TextEmbedder embedder = Embeddings.Text.TextEmbedder.Create(expected.Folder);
        float[] direct = embedder.Embed("Hello, world!");
        float[] parsed = JsonDocument.Parse(output).RootElement.GetProperty("embedding").EnumerateArray().Select(e => float.Parse(e.GetRawText(), CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(direct, parsed);
    }

    [Theory]
    [InlineData("--pooling", "median")]
    [InlineData("--max-length", "-3")]
    [InlineData("--format", "csv")]
    [InlineData("--bogus")]
    public void Embed_BadUsage_ExitsTwo(params string[] extra)
    {
        (int exit, _, string error) = Run("x\n", ["--model", TextExpectations.Load("bert-mean").Folder, .. extra]);
        Assert.Equal(2, exit);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Embed_MissingModel_ExitsTwo()
    {
        (int exit, _, _) = Run("x\n");
        Assert.Equal(2, exit);
    }

    [Fact]
    public void Embed_MalformedJsonLine_ExitsOneNamingLine()
    {
        (int exit, _, string error) = Run("{\"text\": \"ok\"}\n{\"txt\": 3}\n", "--model", TextExpectations.Load("bert-mean").Folder, "--jsonl");
        Assert.Equal(1, exit);
        Assert.Contains("stdin:2:", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Embed_TooLongUnderErrorPolicy_ExitsOneNamingLine()
    {
        string longLine = string.Concat(Enumerable.Repeat("word ", 1000));
        (int exit, _, string error) = Run($"short\n{longLine}\n", "--model", TextExpectations.Load("bert-mean").Folder, "--long-text", "error");
        Assert.Equal(1, exit);
        Assert.Contains("stdin:2:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Embed_ModelFolderMissing_ExitsOne()
    {
        (int exit, _, string error) = Run("x\n", "--model", Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N")));
        Assert.Equal(1, exit);
        Assert.Contains("no-such-model", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Embed_PromptFlag_PrefixesEveryLine()
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        ExpectedCase prefixed = expected.Cases.Single(c => c.Name == "query_prompt");
        using TempFolder folder = new();
        string path = Path.Combine(folder.Path, "out.jsonl");

        (int exit, string output, string error) = Run("how do I install a Debian package?\n", "--model", expected.Folder, "--prompt", "query: ", "--output", path);

        Assert.True(exit == 0, error);
        Assert.Empty(output);
        float[] vector = JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        TextExpectations.AssertClose(prefixed.Pooled["mean:raw"], vector, "prompt");
    }

    [Fact]
    public void Embed_ChunkOverlap_ReachesTheEmbedder()
    {
        TextExpectations expected = TextExpectations.Load("bert-mean");
        const string Text = "The quick brown fox jumps over the lazy dog.";
        string[] chunking = ["--model", expected.Folder, "--max-length", "8", "--long-text", "chunk"];

        (int exit, string output, string error) = Run(Text + "\n", [.. chunking, "--chunk-overlap", "2"]);
        (_, string noOverlap, _) = Run(Text + "\n", [.. chunking, "--chunk-overlap", "0"]);

        Assert.True(exit == 0, error);
        using Embeddings.Text.TextEmbedder embedder = Embeddings.Text.TextEmbedder.Create(expected.Folder, new Embeddings.Text.TextEmbedderOptions { MaxLength = 8, LongText = Embeddings.Text.LongTextPolicy.Chunk, ChunkOverlap = 2 });
        Assert.Equal(embedder.Embed(Text), Parse(output));
        Assert.NotEqual(Parse(noOverlap), Parse(output));

        static float[] Parse(string line) => [.. JsonDocument.Parse(line).RootElement.GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle())];
    }
}
