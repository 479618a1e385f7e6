using System.Text.Json;
using Embeddings.WordVectors;

namespace Embeddings.Tests.WordVectors;

public class WordSplitterTests
{
    public static TheoryData<string, string[]> PythonSplits()
    {
        var data = new TheoryData<string, string[]>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement sentence in WordVectorFixture.Expected.GetProperty("sentences").EnumerateArray())
        {
            // The fixture repeats some sentences for other settings; one theory case per distinct text.
            if (!seen.Add(sentence.GetProperty("text").GetString()!))
            {
                continue;
            }

            data.Add(sentence.GetProperty("text").GetString()!, [.. sentence.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!)]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PythonSplits))]
    public void Split_FixtureSentences_MatchesPythonRules(string text, string[] expected)
    {
        var tokens = new List<string>();
        foreach (WordSplitter.Token token in WordSplitter.Split(text))
        {
            tokens.Add(text.Substring(token.Start, token.Length));
        }

        Assert.Equal(expected, tokens);
    }

    [Fact]
    public void Split_JoinersAtEdges_StayOutsideWords()
    {
        const string text = "'quoted' -dash- rock'n'roll x--y 🙂ok";
        var tokens = new List<(string, bool)>();
        foreach (WordSplitter.Token token in WordSplitter.Split(text))
        {
            tokens.Add((text.Substring(token.Start, token.Length), token.IsWord));
        }

        Assert.Equal(
            [("'", false), ("quoted", true), ("'", false), ("-", false), ("dash", true), ("-", false), ("rock'n'roll", true),
             ("x", true), ("-", false), ("-", false), ("y", true), ("🙂", false), ("ok", true)],
            tokens);
    }
}
