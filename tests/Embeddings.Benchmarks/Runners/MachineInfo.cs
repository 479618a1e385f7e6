using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Embeddings.Inference;

namespace Embeddings.Benchmarks.Runners;

/// <summary>What the numbers were measured on: CPU, cores, vector width, nominal fp32 peak, load and runtime versions.</summary>
internal sealed class MachineInfo
{
    /// <summary>FMA units per core assumed for the peak; Xeon server cores with AVX-512 have two (BENCH_FMA_UNITS overrides).</summary>
    private const int DefaultFmaUnits = 2;

    private MachineInfo(string cpu, int cores, double megahertz, int lanes, int fmaUnits, string vectorIsa)
    {
        Cpu = cpu;
        Cores = cores;
        Megahertz = megahertz;
        Lanes = lanes;
        FmaUnits = fmaUnits;
        VectorIsa = vectorIsa;
    }

    /// <summary>Gets the CPU model name (lscpu's "Model name").</summary>
    public string Cpu { get; }

    /// <summary>Gets the logical processors this process may use.</summary>
    public int Cores { get; }

    /// <summary>Gets the nominal clock from /proc/cpuinfo (the TSC rate on a VM; turbo is not visible).</summary>
    public double Megahertz { get; }

    /// <summary>Gets the fp32 lanes of the widest FMA instruction set (16 for AVX-512F, 8 for AVX2+FMA).</summary>
    public int Lanes { get; }

    /// <summary>Gets the assumed FMA units per core.</summary>
    public int FmaUnits { get; }

    /// <summary>Gets the widest vector instruction set with FMA.</summary>
    public string VectorIsa { get; }

    /// <summary>Gets the nominal fp32 peak: cores × GHz × lanes × 2 (multiply and add) × FMA units.</summary>
    public double NominalPeakGflops => Cores * (Megahertz / 1000) * Lanes * 2 * FmaUnits;

    /// <summary>Gets the fp32 peak the "% of peak" columns use: measured by an FMA loop on every core at once.</summary>
    /// <remarks>
    /// The nominal figure trusts /proc/cpuinfo's clock, which on a VM is the TSC rate; cores that boost above it (and
    /// ONNX Runtime has run above the nominal figure here) make it too low. The measured one is what the cores deliver.
    /// </remarks>
    public double PeakGflops => MeasuredPeak.Value;

    private static Lazy<double> MeasuredPeak { get; } = new(() => MeasurePeak(Environment.ProcessorCount));

    /// <summary>Reads /proc/cpuinfo (falls back to generic values elsewhere).</summary>
    public static MachineInfo Read()
    {
        string cpu = RuntimeInformation.ProcessArchitecture.ToString();
        double megahertz = 0;
        string flags = string.Empty;
        if (File.Exists("/proc/cpuinfo"))
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                int colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                {
                    continue;
                }

                string key = line[..colon].Trim();
                string value = line[(colon + 1)..].Trim();
                if (key == "model name")
                {
                    cpu = value;
                }
                else if (key == "cpu MHz" && megahertz == 0)
                {
                    megahertz = double.Parse(value, CultureInfo.InvariantCulture);
                }
                else if (key == "flags" && flags.Length == 0)
                {
                    flags = " " + value + " ";
                }
            }
        }

        bool avx512 = flags.Contains(" avx512f ", StringComparison.Ordinal);
        bool avx2 = flags.Contains(" avx2 ", StringComparison.Ordinal) && flags.Contains(" fma ", StringComparison.Ordinal);
        int lanes = avx512 ? 16 : avx2 ? 8 : 4;
        string isa = avx512 ? "AVX-512F" : avx2 ? "AVX2+FMA" : "SSE";
        int fmaUnits = Environment.GetEnvironmentVariable("BENCH_FMA_UNITS") is { Length: > 0 } units
            ? int.Parse(units, CultureInfo.InvariantCulture)
            : DefaultFmaUnits;
        return new MachineInfo(cpu, Environment.ProcessorCount, megahertz, lanes, fmaUnits, isa);
    }

    /// <summary>Runs the FMA loop on <paramref name="threads"/> threads at once and adds up their GFLOP/s.</summary>
    private static double MeasurePeak(int threads)
    {
        var gflops = new double[threads];
        using var start = new Barrier(threads);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                FmaLoop(TimeSpan.FromMilliseconds(30));
                start.SignalAndWait();
                gflops[index] = FmaLoop(TimeSpan.FromMilliseconds(400));
            });
            workers[t].Start();
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        return gflops.Sum();
    }

    /// <summary>Times <see cref="Chains512"/> (or <see cref="Chains256"/>) for about <paramref name="duration"/>; returns GFLOP/s.</summary>
    private static double FmaLoop(TimeSpan duration)
    {
        bool wide = Vector512.IsHardwareAccelerated;
        int lanes = wide ? Vector512<float>.Count : Vector256<float>.Count;
        long iterations = 100_000;
        while (true)
        {
            long begin = Stopwatch.GetTimestamp();
            Sink += wide ? Chains512(iterations) : Chains256(iterations);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(begin);
            if (elapsed >= duration || iterations > long.MaxValue / 4)
            {
                return iterations * 12.0 * lanes * 2 / elapsed.TotalSeconds / 1e9;
            }

            iterations *= elapsed.Ticks > 0 ? Math.Max(2, (long)(duration.Ticks / (double)elapsed.Ticks) + 1) : 16;
        }
    }

    /// <summary>Twelve independent chains of fused multiply-adds, so both FMA pipes stay busy.</summary>
    /// <remarks>No call inside: a call in the method makes the JIT keep the chains on the stack, which measures store forwarding instead.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains512(long iterations)
    {
        Vector512<float> a = Vector512.Create(0.9999999f);
        Vector512<float> b = Vector512.Create(1e-7f);
        Vector512<float> x0 = Vector512<float>.One, x1 = x0 + b, x2 = x1 + b, x3 = x2 + b, x4 = x3 + b, x5 = x4 + b;
        Vector512<float> x6 = x5 + b, x7 = x6 + b, x8 = x7 + b, x9 = x8 + b, x10 = x9 + b, x11 = x10 + b;
        for (long i = 0; i < iterations; i++)
        {
            x0 = Vector512.FusedMultiplyAdd(x0, a, b); x1 = Vector512.FusedMultiplyAdd(x1, a, b);
            x2 = Vector512.FusedMultiplyAdd(x2, a, b); x3 = Vector512.FusedMultiplyAdd(x3, a, b);
            x4 = Vector512.FusedMultiplyAdd(x4, a, b); x5 = Vector512.FusedMultiplyAdd(x5, a, b);
            x6 = Vector512.FusedMultiplyAdd(x6, a, b); x7 = Vector512.FusedMultiplyAdd(x7, a, b);
            x8 = Vector512.FusedMultiplyAdd(x8, a, b); x9 = Vector512.FusedMultiplyAdd(x9, a, b);
            x10 = Vector512.FusedMultiplyAdd(x10, a, b); x11 = Vector512.FusedMultiplyAdd(x11, a, b);
        }

        return (x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11).ToScalar();
    }

    /// <summary>The same on 256-bit vectors, for CPUs without AVX-512.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Chains256(long iterations)
    {
        Vector256<float> a = Vector256.Create(0.9999999f);
        Vector256<float> b = Vector256.Create(1e-7f);
        Vector256<float> x0 = Vector256<float>.One, x1 = x0 + b, x2 = x1 + b, x3 = x2 + b, x4 = x3 + b, x5 = x4 + b;
        Vector256<float> x6 = x5 + b, x7 = x6 + b, x8 = x7 + b, x9 = x8 + b, x10 = x9 + b, x11 = x10 + b;
        for (long i = 0; i < iterations; i++)
        {
            x0 = Vector256.FusedMultiplyAdd(x0, a, b); x1 = Vector256.FusedMultiplyAdd(x1, a, b);
            x2 = Vector256.FusedMultiplyAdd(x2, a, b); x3 = Vector256.FusedMultiplyAdd(x3, a, b);
            x4 = Vector256.FusedMultiplyAdd(x4, a, b); x5 = Vector256.FusedMultiplyAdd(x5, a, b);
            x6 = Vector256.FusedMultiplyAdd(x6, a, b); x7 = Vector256.FusedMultiplyAdd(x7, a, b);
            x8 = Vector256.FusedMultiplyAdd(x8, a, b); x9 = Vector256.FusedMultiplyAdd(x9, a, b);
            x10 = Vector256.FusedMultiplyAdd(x10, a, b); x11 = Vector256.FusedMultiplyAdd(x11, a, b);
        }

        return (x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11).ToScalar();
    }

    /// <summary>Keeps the loops' results alive so the JIT cannot drop them.</summary>
    private static float Sink { get; set; }

    /// <summary>Gets the 1-minute load average, or -1 where /proc/loadavg does not exist.</summary>
    public static double LoadAverage()
    {
        if (!File.Exists("/proc/loadavg"))
        {
            return -1;
        }

        string text = File.ReadAllText("/proc/loadavg");
        return double.Parse(text.AsSpan(0, text.IndexOf(' ', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
    }

    /// <summary>Describes the machine and versions as Markdown bullet lines.</summary>
    public string Describe() =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"- CPU: {Cpu}, {Cores} cores, {VectorIsa}, {Megahertz:F0} MHz nominal; fp32 peak {PeakGflops:F0} GFLOP/s measured " +
            $"(fused multiply-adds on every core at once; the nominal {Cores} cores × {Megahertz / 1000:F2} GHz × {Lanes} lanes × 2 × {FmaUnits} FMA units " +
            $"= {NominalPeakGflops:F0} misses boost clocks)\n" +
            $"- .NET {Environment.Version} ({RuntimeInformation.OSDescription.Trim()}), ONNX Runtime {InferenceSession.RuntimeVersion}\n");
}
