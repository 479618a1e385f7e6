using Embeddings.Encoders;
using Embeddings.Inference;
using Embeddings.Tests.Text;
using Embeddings.Text;
using Embeddings.Tokenization;
using Embeddings.Vision;

namespace Embeddings.Tests.Reliability;

/// <summary>Damaged and hostile model folders: a truncated graph, links leading outside, lengths that leave no room for text.</summary>
public class ModelFileIntegrityTests
{
    private const string OnnxFile = "onnx/model.onnx";

    public static TheoryData<string> Openers => ["text", "ner", "image", "tensor"];

    [Theory]
    [MemberData(nameof(Openers))]
    public void Create_HalfTruncatedModel_ThrowsEmbeddingsExceptionNamingTheFile(string opener)
    {
        using var copy = new ModelCopy(FolderOf(opener));
        byte[] bytes = File.ReadAllBytes(copy.File(OnnxFile));
        copy.Write(OnnxFile, bytes[..(bytes.Length / 2)]);

        var exception = Assert.Throws<EmbeddingsException>(() => Open(opener, copy.Path));

        Assert.Contains(copy.File(OnnxFile), exception.Message, StringComparison.Ordinal);
        Assert.NotEqual(OrtErrorCode.Ok, exception.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Openers))]
    public void Create_ModelFileLinkedOutside_ThrowsInvalidDataNamingTheLink(string opener)
    {
        using var copy = new ModelCopy(FolderOf(opener));
        using var outside = new TempFolder();
        string target = Path.Combine(outside.Path, "model.onnx");
        File.Copy(copy.File(OnnxFile), target);
        copy.Link(OnnxFile, target);

        var exception = Assert.Throws<InvalidDataException>(() => Open(opener, copy.Path));

        Assert.Contains("onnx/model.onnx", exception.Message, StringComparison.Ordinal);
        Assert.Contains(target, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image", "preprocessor_config.json")]
    [InlineData("processor", "preprocessor_config.json")]
    [InlineData("tensor", "preprocessor_config.json")]
    [InlineData("text", "tokenizer.json")]
    [InlineData("ner", "tokenizer.json")]
    [InlineData("tokenizer", "tokenizer.json")]
    public void Create_ConfigLinkedOutside_ThrowsInvalidData(string opener, string file)
    {
        using var copy = new ModelCopy(FolderOf(opener));
        using var outside = new TempFolder();
        string target = outside.Write(file, File.ReadAllText(copy.File(file)));
        copy.Link(file, target);

        var exception = Assert.Throws<InvalidDataException>(() => Open(opener, copy.Path));

        Assert.Contains(file, exception.Message, StringComparison.Ordinal);
        Assert.Contains("outside the model folder", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("image")]
    [InlineData("processor")]
    [InlineData("tensor")]
    [InlineData("text")]
    [InlineData("ner")]
    [InlineData("tokenizer")]
    public void Create_HubSnapshotLinkingItsOwnBlobs_Opens(string opener)
    {
        // The Hugging Face cache layout: snapshots/<commit>/<file> are links to ../../blobs/<etag> of the same repository.
        using var storage = new TempFolder();
        string snapshot = HubSnapshot(storage.Path, "models--org--model", FolderOf(opener));

        using IDisposable? opened = Open(opener, snapshot) as IDisposable;

        Assert.NotNull(new FileInfo(Path.Combine(snapshot, OnnxFile)).LinkTarget);
    }

    [Fact]
    public void Create_HubSnapshotLinkingAnotherRepositorysBlob_ThrowsInvalidData()
    {
        using var storage = new TempFolder();
        string snapshot = HubSnapshot(storage.Path, "models--org--vit", ReliabilityModels.ImageFolder);
        string other = HubSnapshot(storage.Path, "models--other--vit", ReliabilityModels.ImageFolder);
        string link = Path.Combine(snapshot, "preprocessor_config.json");
        string foreignBlob = new FileInfo(Path.Combine(other, "preprocessor_config.json")).ResolveLinkTarget(returnFinalTarget: true)!.FullName;
        File.Delete(link);
        File.CreateSymbolicLink(link, foreignBlob);

        var exception = Assert.Throws<InvalidDataException>(() => ImageEmbedder.Create(snapshot));

        Assert.Contains(foreignBlob, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextEmbedder_MaxSeqLengthOfOnlySpecialTokens_ThrowsInvalidDataNamingFileAndKey()
    {
        using var copy = new ModelCopy(ReliabilityModels.TextFolder);
        copy.Write("sentence_bert_config.json", """{"max_seq_length": 2, "do_lower_case": false}""");

        var exception = Assert.Throws<InvalidDataException>(() => TextEmbedder.Create(copy.Path));

        Assert.Contains(copy.File("sentence_bert_config.json") + " $.max_seq_length", exception.Message, StringComparison.Ordinal);
        Assert.Contains("2 special tokens", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("ner")]
    public void Create_ModelMaxLengthBelowSpecialTokens_ThrowsInvalidDataNamingTokenizerConfig(string opener)
    {
        using var copy = new ModelCopy(opener == "ner" ? ReliabilityModels.NerFolder : ReliabilityModels.TextFolder);
        copy.Delete("sentence_bert_config.json");
        copy.Delete("modules.json");
        copy.Write("tokenizer_config.json", """{"model_max_length": 1}""");

        var exception = Assert.Throws<InvalidDataException>(() => Open(opener, copy.Path));

        Assert.Contains(copy.File("tokenizer_config.json") + " $.model_max_length", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextEmbedder_OptionsMaxLengthBelowSpecialTokens_StaysAnArgumentError()
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => TextEmbedder.Create(ReliabilityModels.TextFolder, new TextEmbedderOptions { MaxLength = 2 }));

        Assert.Contains("TextEmbedderOptions.MaxLength", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileInsteadOfFolder_SaysItIsAFile()
    {
        using var folder = new TempFolder();
        string file = folder.Write("model.txt", "not a folder");

        var exception = Assert.Throws<DirectoryNotFoundException>(() => TextEmbedder.Create(file));

        Assert.Contains($"{file} is a file", exception.Message, StringComparison.Ordinal);
    }

    private static string FolderOf(string opener) => opener switch
    {
        "text" or "tokenizer" => ReliabilityModels.TextFolder,
        "ner" => ReliabilityModels.NerFolder,
        _ => ReliabilityModels.ImageFolder,
    };

    private static object Open(string opener, string folder) => opener switch
    {
        "text" => TextEmbedder.Create(folder),
        "ner" => EntityRecognizer.Create(folder),
        "image" => ImageEmbedder.Create(folder),
        "processor" => PixelValuesProcessor.Create(folder),
        "tensor" => TensorEncoder.Create(folder, new TensorEncoderOptions { OutputName = "last_hidden_state" }),
        "tokenizer" => BertTokenizer.FromDirectory(folder),
        _ => throw new ArgumentOutOfRangeException(nameof(opener)),
    };

    /// <summary>Lays a model folder out as the Hugging Face cache does: files in blobs/, links to them in snapshots/&lt;commit&gt;/.</summary>
    private static string HubSnapshot(string cache, string repository, string source)
    {
        string storage = Path.Combine(cache, repository);
        string snapshot = Path.Combine(storage, "snapshots", "0123456789abcdef0123456789abcdef01234567");
        Directory.CreateDirectory(Path.Combine(storage, "blobs"));
        int blob = 0;
        foreach (string file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(source, file);
            string etag = $"blob{blob++:D4}";
            File.Copy(file, Path.Combine(storage, "blobs", etag));
            string link = Path.Combine(snapshot, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, Path.GetRelativePath(Path.GetDirectoryName(link)!, Path.Combine(storage, "blobs", etag)));
        }

        return snapshot;
    }
}
