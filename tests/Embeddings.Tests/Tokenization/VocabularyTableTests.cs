using Embeddings.Tokenization;

namespace Embeddings.Tests.Tokenization;

/// <summary><see cref="VocabularyTable"/> against the definition of its answer: the longest key that prefixes the text.</summary>
public class VocabularyTableTests
{
    [Fact]
    public void LongestMatch_RandomKeysAndTexts_EqualsLongestPrefixByDefinition()
    {
        // A small alphabet makes keys share prefixes and texts hit and miss them; some keys exceed the 64 prefix hashes kept on the stack.
        var random = new Random(7);
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        while (keys.Count < 3000)
        {
            int length = random.Next(8) == 0 ? random.Next(60, 90) : random.Next(1, 8);
            keys.TryAdd(RandomText(random, length), keys.Count);
        }

        var table = new VocabularyTable(keys);
        for (int n = 0; n < 20_000; n++)
        {
            string text = n % 10 == 0 ? string.Concat(keys.Keys.ElementAt(random.Next(keys.Count)), RandomText(random, random.Next(0, 20))) : RandomText(random, random.Next(1, 100));
            (int length, int id) = LongestPrefix(keys, text);
            Assert.Equal(length, table.LongestMatch(text, out int actualId));
            Assert.Equal(id, actualId);
        }
    }

    [Fact]
    public void LongestMatch_KeyEndingInsideSurrogatePair_IsSkipped()
    {
        // "a" + the high half of U+1F600 is a key, but a piece may not split the pair, so the answer is "a".
        var table = new VocabularyTable(new Dictionary<string, int> { ["a"] = 1, ["a\ud83d"] = 2, ["a\ud83d\ude00"] = 3 });

        Assert.Equal(1, table.LongestMatch("a\ud83d\ude01", out int id));
        Assert.Equal(1, id);
        Assert.Equal(3, table.LongestMatch("a\ud83d\ude00b", out id));
        Assert.Equal(3, id);
        Assert.Equal(2, table.LongestMatch("a\ud83d", out id));
        Assert.Equal(2, id);
    }

    [Fact]
    public void LongestMatch_NoKeyPrefixesText_ReturnsZeroAndMinusOne()
    {
        var table = new VocabularyTable(new Dictionary<string, int> { ["ab"] = 0, ["abc"] = 1 });

        Assert.Equal(0, table.LongestMatch("a", out int id));
        Assert.Equal(-1, id);
        Assert.Equal(0, table.LongestMatch("b", out id));
        Assert.Equal(-1, id);
    }

    private static (int Length, int Id) LongestPrefix(Dictionary<string, int> keys, string text)
    {
        for (int length = text.Length; length > 0; length--)
        {
            if (keys.TryGetValue(text[..length], out int id))
            {
                return (length, id);
            }
        }

        return (0, -1);
    }

    private static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = "abcd"[random.Next(4)];
        }

        return new string(chars);
    }
}
