using System.Text.Json;
using Embeddings.Inference;
using Embeddings.Text;

namespace Embeddings.Vision;

/// <summary>The parts of an image encoder folder: <c>config.json</c> facts, the ONNX session and its checked input and outputs.</summary>
/// <remarks>Thread-safe: the ONNX Runtime session may be run concurrently.</remarks>
internal sealed class VisionModel : IDisposable
{
    public const string PixelValues = "pixel_values";
    public const string LastHiddenState = "last_hidden_state";
    public const string PoolerOutput = "pooler_output";
    public const string ImageEmbeds = "image_embeds";

    private VisionModel(ModelFolder folder, string modelFile, InferenceSession session)
    {
        Folder = folder;
        ModelFile = modelFile;
        Session = session;
    }

    public ModelFolder Folder { get; }

    public string ModelFile { get; }

    public InferenceSession Session { get; }

    /// <summary>Gets a value indicating whether the graph has a float <c>last_hidden_state</c> of rank 3.</summary>
    public bool HasHiddenState { get; private set; }

    /// <summary>Gets a value indicating whether the graph has a float pooled output of rank 2 (<see cref="PooledOutput"/>).</summary>
    public bool HasPoolerOutput => PooledOutput is not null;

    /// <summary>Gets the model's own pooled output: <c>image_embeds</c> (CLIP with projection) when present, else <c>pooler_output</c>, else <see langword="null"/>.</summary>
    public string? PooledOutput { get; private set; }

    /// <summary>Gets config.json's <c>projection_dim</c> (CLIP), or 0 when absent.</summary>
    public int ProjectionSize { get; private set; }

    /// <summary>Gets the hidden size from the output shape or config.json, or 0 when unknown.</summary>
    public int HiddenSize { get; private set; }

    /// <summary>Gets the length of the pooled output when the graph declares it, else 0.</summary>
    public int PoolerSize { get; private set; }

    /// <summary>Gets the token count of <c>last_hidden_state</c> when the graph declares it, else 0.</summary>
    public int TokenCount { get; private set; }

    /// <summary>Gets config.json's <c>num_register_tokens</c> (DINOv2 with registers), or 0.</summary>
    public int RegisterTokens { get; private set; }

    /// <summary>Gets config.json's <c>patch_size</c>, or 0 when absent.</summary>
    public int PatchSize { get; private set; }

    /// <summary>Opens the ONNX file of a folder, reads config.json and checks the graph against the preprocessor's output size.</summary>
    /// <exception cref="FileNotFoundException">No ONNX file was found.</exception>
    /// <exception cref="InvalidDataException">A file is malformed, or the graph's input or outputs are not what an image encoder has.</exception>
    /// <exception cref="EmbeddingsException">ONNX Runtime fails to load the model.</exception>
    public static VisionModel Open(ModelFolder folder, string? modelFileName, InferenceOptions? inference, int imageHeight, int imageWidth)
    {
        string modelFile = folder.FindOnnxModel(modelFileName, "ImageEmbedderOptions.ModelFileName");
        InferenceSession session = InferenceSession.Create(modelFile, inference);
        var model = new VisionModel(folder, modelFile, session);
        try
        {
            model.ReadConfig();
            model.CheckGraph(imageHeight, imageWidth);
            return model;
        }
        catch
        {
            session.Dispose();
            throw;
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
        string parentPath = "$";
        ProjectionSize = ConfigJson.GetInt32(root, "projection_dim", path) ?? 0;

        // CLIP-style folders keep the image tower's settings under vision_config.
        if (root.TryGetProperty("vision_config", out JsonElement vision) && vision.ValueKind == JsonValueKind.Object)
        {
            root = vision;
            parentPath = "$.vision_config";
        }

        HiddenSize = ConfigJson.GetInt32(root, "hidden_size", path, parentPath) ?? 0;
        RegisterTokens = ConfigJson.GetInt32(root, "num_register_tokens", path, parentPath) ?? 0;
        PatchSize = ConfigJson.GetInt32(root, "patch_size", path, parentPath) ?? 0;
    }

    private void CheckGraph(int imageHeight, int imageWidth)
    {
        NodeInfo? pixels = null;
        foreach (NodeInfo input in Session.Inputs)
        {
            if (input.Name != PixelValues)
            {
                throw new InvalidDataException($"{ModelFile}: unexpected input '{input}'; an image encoder takes only {PixelValues} (float32 [batch, 3, height, width]).");
            }

            pixels = input;
        }

        if (pixels is null)
        {
            throw new InvalidDataException($"{ModelFile}: expected an input named {PixelValues} (float32 [batch, 3, height, width]); the graph has {Describe(Session.Inputs)}.");
        }

        if (!pixels.IsTensor || pixels.ElementType != TensorElementType.Float || pixels.Shape.Count != 4)
        {
            throw new InvalidDataException($"{ModelFile}: input {pixels} should be a float32 tensor of rank 4 [batch, 3, height, width].");
        }

        CheckDimension(pixels, 1, 3, "channels");
        CheckDimension(pixels, 2, imageHeight, "height (preprocessor_config.json produces " + imageHeight.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")");
        CheckDimension(pixels, 3, imageWidth, "width (preprocessor_config.json produces " + imageWidth.ToString(System.Globalization.CultureInfo.InvariantCulture) + ")");

        foreach (NodeInfo output in Session.Outputs)
        {
            if (output.Name == LastHiddenState)
            {
                if (!output.IsTensor || output.ElementType != TensorElementType.Float || output.Shape.Count != 3)
                {
                    throw new InvalidDataException($"{ModelFile}: output {output} should be a float32 tensor of rank 3 [batch, tokens, hidden].");
                }

                HasHiddenState = true;
                TokenCount = (int)Math.Max(output.Shape[1], 0);
                int hidden = (int)Math.Max(output.Shape[2], 0);
                if (hidden > 0)
                {
                    if (HiddenSize > 0 && HiddenSize != hidden)
                    {
                        throw new InvalidDataException($"{ModelFile}: output {LastHiddenState} has hidden size {hidden} but config.json says hidden_size {HiddenSize}.");
                    }

                    HiddenSize = hidden;
                }
            }
            else if (output.Name is PoolerOutput or ImageEmbeds)
            {
                if (!output.IsTensor || output.ElementType != TensorElementType.Float || output.Shape.Count != 2)
                {
                    throw new InvalidDataException($"{ModelFile}: output {output} should be a float32 tensor of rank 2 [batch, hidden].");
                }

                // CLIP's image_embeds (the projected embedding that text embeddings are compared with) wins over pooler_output.
                if (PooledOutput != ImageEmbeds)
                {
                    PooledOutput = output.Name;
                    int size = (int)Math.Max(output.Shape[1], 0);
                    PoolerSize = size > 0 ? size : output.Name == ImageEmbeds ? ProjectionSize : 0;
                }
            }
        }

        if (!HasHiddenState && !HasPoolerOutput)
        {
            throw new InvalidDataException($"{ModelFile}: expected an output {LastHiddenState} (float32 [batch, tokens, hidden]), {PoolerOutput} or {ImageEmbeds} (float32 [batch, hidden]); the graph has {Describe(Session.Outputs)}.");
        }

        if (TokenCount > 0 && PatchSize > 0 && imageHeight % PatchSize == 0 && imageWidth % PatchSize == 0)
        {
            int expected = 1 + RegisterTokens + ((imageHeight / PatchSize) * (imageWidth / PatchSize));
            if (TokenCount != expected)
            {
                throw new InvalidDataException($"{ModelFile}: output {LastHiddenState} has {TokenCount} tokens; a {imageHeight}x{imageWidth} image with patch_size {PatchSize} and {RegisterTokens} register tokens gives {expected} (1 CLS + registers + patches).");
            }
        }
        else if (TokenCount > 0 && TokenCount <= 1 + RegisterTokens)
        {
            throw new InvalidDataException($"{ModelFile}: output {LastHiddenState} has {TokenCount} tokens, leaving no patch tokens after the CLS token and {RegisterTokens} register tokens.");
        }
    }

    private void CheckDimension(NodeInfo input, int axis, int expected, string what)
    {
        long actual = input.Shape[axis];
        if (actual > 0 && actual != expected)
        {
            throw new InvalidDataException($"{ModelFile}: input {input} has {actual} at axis {axis}; expected {expected} for the {what}.");
        }
    }

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
