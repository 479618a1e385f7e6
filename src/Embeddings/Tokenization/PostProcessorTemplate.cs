namespace Embeddings.Tokenization;

/// <summary>The post-processor's templates for single texts and pairs (TemplateProcessing, BertProcessing or RobertaProcessing).</summary>
internal sealed class PostProcessorTemplate
{
    public PostProcessorTemplate(TemplatePiece[] single, TemplatePiece[] pair)
    {
        Single = single;
        Pair = pair;
        AddedSingle = CountSpecial(single);
        AddedPair = CountSpecial(pair);
    }

    /// <summary>Gets a template that adds nothing.</summary>
    public static PostProcessorTemplate None { get; } = new([new TemplatePiece(null, 0, 0)], [new TemplatePiece(null, 0, 0), new TemplatePiece(null, 1, 1)]);

    /// <summary>Gets the template for single texts.</summary>
    public TemplatePiece[] Single { get; }

    /// <summary>Gets the template for pairs.</summary>
    public TemplatePiece[] Pair { get; }

    /// <summary>Gets how many special tokens a single text receives.</summary>
    public int AddedSingle { get; }

    /// <summary>Gets how many special tokens a pair receives.</summary>
    public int AddedPair { get; }

    /// <summary>Builds the classic BERT templates <c>[CLS] A [SEP]</c> and <c>[CLS] A [SEP] B [SEP]</c>.</summary>
    public static PostProcessorTemplate Bert(int clsId, int sepId) => new(
        [new([clsId], 0, 0), new(null, 0, 0), new([sepId], 0, 0)],
        [new([clsId], 0, 0), new(null, 0, 0), new([sepId], 0, 0), new(null, 1, 1), new([sepId], 0, 1)]);

    /// <summary>Builds RoBERTa's templates <c>&lt;s&gt; A &lt;/s&gt;</c> and <c>&lt;s&gt; A &lt;/s&gt;&lt;/s&gt; B &lt;/s&gt;</c>, every type id 0 (MPNet uses them with WordPiece).</summary>
    public static PostProcessorTemplate Roberta(int clsId, int sepId) => new(
        [new([clsId], 0, 0), new(null, 0, 0), new([sepId], 0, 0)],
        [new([clsId], 0, 0), new(null, 0, 0), new([sepId], 0, 0), new([sepId], 0, 0), new(null, 1, 0), new([sepId], 0, 0)]);

    private static int CountSpecial(TemplatePiece[] pieces)
    {
        int count = 0;
        foreach (TemplatePiece piece in pieces)
        {
            count += piece.SpecialIds?.Length ?? 0;
        }

        return count;
    }
}
