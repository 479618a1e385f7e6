using System.Text.Json;
using Embeddings.Inference;

namespace Embeddings.Tests.Inference;

public class InferenceSessionTests
{
    private static readonly string Affine = RepositoryPaths.Model("testgraphs", "affine.onnx");
    private static readonly string IdsToFloat = RepositoryPaths.Model("testgraphs", "ids_to_float.onnx");
    private static readonly string FixedShape = RepositoryPaths.Model("testgraphs", "fixed_shape.onnx");
    private static readonly JsonElement Expected = TestGraphs.Expected;

    private static float[] Flatten(JsonElement matrix) => [.. matrix.EnumerateArray().SelectMany(row => row.EnumerateArray()).Select(v => v.GetSingle())];

    private static float[] Vector(JsonElement vector) => [.. vector.EnumerateArray().Select(v => v.GetSingle())];

    private static long[] FlattenLong(JsonElement matrix) => [.. matrix.EnumerateArray().SelectMany(row => row.EnumerateArray()).Select(v => v.GetInt64())];

    [Fact]
    public void Create_FromPath_ReadsInputAndOutputMetadata()
    {
        using var session = InferenceSession.Create(Affine);

        var input = Assert.Single(session.Inputs);
        Assert.Equal("x", input.Name);
        Assert.True(input.IsTensor);
        Assert.Equal(TensorElementType.Float, input.ElementType);
        Assert.Equal([-1L, 3L], input.Shape);
        Assert.Equal(["batch", null], input.SymbolicShape);
        Assert.Equal(["y", "z"], session.Outputs.Select(o => o.Name));
        Assert.Equal("x: Float[batch,3]", input.ToString());
        Assert.StartsWith("1.", InferenceSession.RuntimeVersion, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AffineGraph_MatchesNumpy()
    {
        using var session = InferenceSession.Create(File.ReadAllBytes(Affine));
        var x = Flatten(Expected.GetProperty("affine").GetProperty("x"));

        using var result = session.Run([TensorInput.Create("x", x, 4, 3)]);

        Assert.Equal(2, result.Count);
        Assert.Equal([4L, 2L], result.GetShape(0).ToArray());
        Assert.Equal(Flatten(Expected.GetProperty("affine").GetProperty("y")), result.GetData<float>(result.IndexOf("y")).ToArray());
        Assert.Equal(Flatten(Expected.GetProperty("affine").GetProperty("z")), result.GetData<float>(result.IndexOf("z")).ToArray());
    }

    [Fact]
    public void Run_Int64Inputs_MatchesNumpy()
    {
        using var session = InferenceSession.Create(IdsToFloat);
        var expected = Expected.GetProperty("ids_to_float");
        var ids = FlattenLong(expected.GetProperty("input_ids"));
        var mask = FlattenLong(expected.GetProperty("attention_mask"));

        using var result = session.Run([TensorInput.Create("input_ids", ids, 2, 3), TensorInput.Create("attention_mask", mask, 2, 3)], ["out"]);

        Assert.Equal(Flatten(expected.GetProperty("out")), result.GetData<float>(0).ToArray());
        Assert.Equal(["input_ids", "attention_mask"], session.Inputs.Select(i => i.Name));
        Assert.All(session.Inputs, i => Assert.Equal(TensorElementType.Int64, i.ElementType));
        Assert.Equal(["batch", "sequence"], session.Inputs[0].SymbolicShape);
    }

    [Fact]
    public void Run_SixteenThreadsOnOneSession_EachMatchesIndependentArithmetic()
    {
        using var session = InferenceSession.Create(Affine);
        var affine = Expected.GetProperty("affine");
        var w = Flatten(affine.GetProperty("W"));
        var b = Vector(affine.GetProperty("b"));
        var failures = 0;

        Parallel.For(0, 16, new ParallelOptions { MaxDegreeOfParallelism = 16 }, thread =>
        {
            var random = new Random(thread);
            for (var iteration = 0; iteration < 200; iteration++)
            {
                var rows = random.Next(1, 9);
                var x = new float[rows * 3];
                for (var i = 0; i < x.Length; i++)
                {
                    x[i] = (float)(random.NextDouble() * 8 - 4);
                }

                using var result = session.Run([TensorInput.Create("x", x, rows, 3)], ["y"]);
                var y = result.GetData<float>(0);
                for (var r = 0; r < rows; r++)
                {
                    for (var c = 0; c < 2; c++)
                    {
                        double expected = b[c];
                        for (var k = 0; k < 3; k++)
                        {
                            expected += (double)x[(r * 3) + k] * w[(k * 2) + c];
                        }

                        if (Math.Abs(expected - y[(r * 2) + c]) > 1e-5)
                        {
                            Interlocked.Increment(ref failures);
                        }
                    }
                }
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void Create_MissingFile_ThrowsFileNotFound()
    {
        var path = Path.Combine(Path.GetTempPath(), "embeddings-missing", "nope.onnx");
        var ex = Assert.Throws<FileNotFoundException>(() => InferenceSession.Create(path));
        Assert.Contains("nope.onnx", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CorruptBytes_ThrowsWithRuntimeMessage()
    {
        var bytes = File.ReadAllBytes(Affine)[..40];
        var ex = Assert.Throws<EmbeddingsException>(() => InferenceSession.Create(bytes));
        Assert.NotEqual(OrtErrorCode.Ok, ex.ErrorCode);
        Assert.Contains("loading model", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CorruptFile_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"embeddings-corrupt-{Guid.NewGuid():N}.onnx");
        File.WriteAllText(path, "this is not a protobuf");
        try
        {
            var ex = Assert.Throws<EmbeddingsException>(() => InferenceSession.Create(path));
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Create_EmptyBytes_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => InferenceSession.Create(ReadOnlySpan<byte>.Empty));

    [Fact]
    public void Run_WrongInputName_ThrowsWithRuntimeMessage()
    {
        using var session = InferenceSession.Create(Affine);
        var ex = Assert.Throws<EmbeddingsException>(() => session.Run([TensorInput.Create("not_x", new float[3], 1, 3)]));
        Assert.Equal(OrtErrorCode.InvalidArgument, ex.ErrorCode);
        Assert.Contains("not_x", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WrongElementType_ThrowsWithRuntimeMessage()
    {
        using var session = InferenceSession.Create(Affine);
        var ex = Assert.Throws<EmbeddingsException>(() => session.Run([TensorInput.Create("x", new long[3], 1, 3)]));
        Assert.Equal(OrtErrorCode.InvalidArgument, ex.ErrorCode);
        Assert.Contains("type", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Run_WrongRank_ThrowsWithRuntimeMessage()
    {
        using var session = InferenceSession.Create(Affine);
        var ex = Assert.Throws<EmbeddingsException>(() => session.Run([TensorInput.Create("x", new float[3], 3)]));
        Assert.Equal(OrtErrorCode.InvalidArgument, ex.ErrorCode);
        Assert.Contains("rank", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Run_WrongFixedDimension_ThrowsWithRuntimeMessage()
    {
        using var session = InferenceSession.Create(FixedShape);
        var ex = Assert.Throws<EmbeddingsException>(() => session.Run([TensorInput.Create("x", new float[8], 2, 4)]));
        Assert.Equal(OrtErrorCode.InvalidArgument, ex.ErrorCode);
    }

    [Fact]
    public void Run_MissingInput_ThrowsWithRuntimeMessage()
    {
        using var session = InferenceSession.Create(IdsToFloat);
        var ex = Assert.Throws<EmbeddingsException>(() => session.Run([TensorInput.Create("input_ids", new long[3], 1, 3)]));
        Assert.Contains("attention_mask", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_UnknownOutputName_ThrowsWithRuntimeMessage()
    {
        using var session = InferenceSession.Create(Affine);
        var ex = Assert.Throws<EmbeddingsException>(() => session.Run([TensorInput.Create("x", new float[3], 1, 3)], ["nope"]));
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TensorInput_ShapeMismatch_ThrowsArgumentException() =>
        Assert.Throws<ArgumentException>(() => TensorInput.Create("x", new float[5], 2, 3));

    [Fact]
    public void GetData_WrongType_ThrowsInvalidOperation()
    {
        using var session = InferenceSession.Create(Affine);
        using var result = session.Run([TensorInput.Create("x", new float[3], 1, 3)]);
        Assert.Throws<InvalidOperationException>(() => result.GetData<long>(0).Length);
    }

    [Fact]
    public void GetData_AfterDispose_ThrowsObjectDisposed()
    {
        using var session = InferenceSession.Create(Affine);
        var result = session.Run([TensorInput.Create("x", new float[3], 1, 3)]);
        result.Dispose();
        Assert.Throws<ObjectDisposedException>(() => result.GetData<float>(0).Length);
    }

    [Fact]
    public void Run_AfterDispose_ThrowsObjectDisposed()
    {
        var session = InferenceSession.Create(Affine);
        session.Dispose();
        session.Dispose();
        Assert.Throws<ObjectDisposedException>(() => session.Run([TensorInput.Create("x", new float[3], 1, 3)]));
    }

    [Fact]
    public async Task Dispose_WhileOtherThreadsRun_NeverCrashes()
    {
        for (var round = 0; round < 20; round++)
        {
            var session = InferenceSession.Create(Affine);
            using var start = new Barrier(5);
            var outcomes = new int[2];
            var runners = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                start.SignalAndWait();
                for (var i = 0; i < 50; i++)
                {
                    try
                    {
                        using var result = session.Run([TensorInput.Create("x", new float[] { 1, 2, 3 }, 1, 3)]);
                        Assert.Equal(2.375f, result.GetData<float>(0)[0], 5);
                        Interlocked.Increment(ref outcomes[0]);
                    }
                    catch (ObjectDisposedException)
                    {
                        Interlocked.Increment(ref outcomes[1]);
                    }
                }
            })).ToArray();
            start.SignalAndWait();
            Thread.Sleep(round % 3);
            session.Dispose();
            await Task.WhenAll(runners);
            Assert.Equal(200, outcomes[0] + outcomes[1]);
        }
    }

    [Fact]
    public void Run_CancelledToken_ThrowsOperationCanceled()
    {
        using var session = InferenceSession.Create(Affine);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => session.Run([TensorInput.Create("x", new float[3], 1, 3)], default, cts.Token));
    }

    [Fact]
    public void Run_CancellableTokenNotCancelled_Completes()
    {
        using var session = InferenceSession.Create(Affine);
        using var cts = new CancellationTokenSource();
        using var result = session.Run([TensorInput.Create("x", new float[] { 1, 2, 3 }, 1, 3)], ["y"], cts.Token);
        Assert.Equal(2.375f, result.GetData<float>(0)[0], 5);
    }

    [Theory]
    [InlineData(GraphOptimizationLevel.Disabled, ExecutionMode.Sequential, false, false)]
    [InlineData(GraphOptimizationLevel.Basic, ExecutionMode.Parallel, true, true)]
    [InlineData(GraphOptimizationLevel.Extended, ExecutionMode.Sequential, false, true)]
    public void Create_WithOptions_RunsTheSame(GraphOptimizationLevel level, ExecutionMode mode, bool spinning, bool arena)
    {
        var options = new InferenceOptions
        {
            IntraOpThreads = 1,
            InterOpThreads = 1,
            GraphOptimizationLevel = level,
            ExecutionMode = mode,
            AllowSpinning = spinning,
            EnableCpuMemoryArena = arena,
            ExecutionProvider = "CPU",
        };
        using var session = InferenceSession.Create(Affine, options);
        using var result = session.Run([TensorInput.Create("x", new float[] { 1, 2, 3 }, 1, 3)], ["y"]);
        Assert.Equal(Flatten(Expected.GetProperty("affine").GetProperty("y"))[..2], result.GetData<float>(0).ToArray());
    }

    [Fact]
    public void Create_OptimizedModelPath_WritesTheOptimizedGraph()
    {
        var path = Path.Combine(Path.GetTempPath(), $"embeddings-optimized-{Guid.NewGuid():N}.onnx");
        try
        {
            using (InferenceSession.Create(Affine, new InferenceOptions { OptimizedModelPath = path }))
            {
            }

            Assert.True(new FileInfo(path).Length > 0);
            using var reloaded = InferenceSession.Create(path);
            Assert.Equal("x", reloaded.Inputs[0].Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Create_UnavailableExecutionProvider_ListsAvailableOnes()
    {
        var ex = Assert.Throws<EmbeddingsException>(() => InferenceSession.Create(Affine, new InferenceOptions { ExecutionProvider = "CUDA" }));
        Assert.Contains("CUDA", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", ex.Message, StringComparison.Ordinal);
        Assert.Contains("CPUExecutionProvider", InferenceSession.GetAvailableExecutionProviders());
    }

    [Fact]
    public void Create_NegativeThreads_ThrowsArgumentOutOfRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => InferenceSession.Create(Affine, new InferenceOptions { IntraOpThreads = -1 }));

    [Fact]
    public void Create_OptionsChangedAfterCreate_DoNotAffectSession()
    {
        var options = new InferenceOptions { IntraOpThreads = 1 };
        using var session = InferenceSession.Create(Affine, options);
        options.IntraOpThreads = -5;
        using var result = session.Run([TensorInput.Create("x", new float[3], 1, 3)]);
        Assert.Equal(2, result.Count);
    }
}
