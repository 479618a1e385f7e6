using System.Text.Json;

namespace Embeddings.Tests;

/// <summary>The numpy-computed expectations of the small ONNX graphs in models/testgraphs (models/scripts/test_graphs.py).</summary>
internal static class TestGraphs
{
    private static readonly Lazy<JsonElement> ExpectedValue = new(() =>
        JsonDocument.Parse(File.ReadAllText(RepositoryPaths.Model("testgraphs", "expected.json"))).RootElement);

    /// <summary>Gets the root of expected.json: one property per graph.</summary>
    public static JsonElement Expected => ExpectedValue.Value;
}
