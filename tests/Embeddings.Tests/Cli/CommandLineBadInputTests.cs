namespace Embeddings.Tests.Cli;

/// <summary>
/// Every command of the built CLI, run as a child process, on every kind of bad input: it exits 1 (2 for bad usage)
/// with exactly one line on stderr naming the input and the cause, with no stack trace, and never dies by a signal.
/// </summary>
public sealed class CommandLineBadInputTests(BadInputMatrix matrix) : IClassFixture<BadInputMatrix>
{
    public static TheoryData<string> Cases => [.. BadInputMatrix.Cases.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_BadInput_ExitsWithOneLineNamingInputAndCause(string name)
    {
        BadInputCase testCase = BadInputMatrix.Cases.Single(c => c.Name == name);
        ProcessResult result = matrix.Result(name);
        string context = $"`embeddings {matrix.Expand(testCase.Arguments)}` exited {result.ExitCode}; stderr: {result.Error}";

        Assert.False(result.TimedOut, context);
        Assert.True(result.ExitCode is >= 0 and < 128, "died by a signal: " + context);
        Assert.True(testCase.ExitCode == result.ExitCode, context);
        Assert.DoesNotContain("Unhandled exception", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (testCase.ExitCode == 0)
        {
            Assert.True(lines.Length == 0, context);
            Assert.Equal(string.Empty, result.Output);
            return;
        }

        Assert.True(lines.Length == 1 && lines[0].Trim().Length > 0, "not one line: " + context);
        Assert.StartsWith("embeddings", lines[0], StringComparison.Ordinal);
        foreach (string expected in testCase.Expected)
        {
            Assert.True(lines[0].Contains(matrix.Expand(expected), StringComparison.Ordinal), $"missing '{matrix.Expand(expected)}': {context}");
        }
    }

    [Fact]
    public void Matrix_CoversEveryCommandOfTheUsage()
    {
        // The commands are the usage text's lines indented by exactly two spaces.
        string[] commands = [.. Embeddings.Cli.CommandLine.Usage.Split('\n')
            .Where(line => line.StartsWith("  ", StringComparison.Ordinal) && char.IsAsciiLetterLower(line[2]))
            .Select(line => line[2..].Split(' ')[0])
            .Distinct(StringComparer.Ordinal)];
        Assert.Equal(10, commands.Length);
        Assert.All(commands, command => Assert.Contains(BadInputMatrix.Cases, c => c.Arguments.StartsWith(command + " ", StringComparison.Ordinal)));
        Assert.Equal(BadInputMatrix.Cases.Count, BadInputMatrix.Cases.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count());
    }
}
