using CsCheck;
using Infercost.Hardware;
using Infercost.Models;
using Infercost.Serving;

namespace Infercost.Tests.Properties;

// Shared generators: the fixture models (dense GQA, MHA, MLA + MoE, sliding window) on a valid tensor-parallel layout.
internal static class Generators
{
    public static ModelArchitecture Llama8BSliding { get; } = Fixtures.Llama8B with
    {
        Id = "llama-3.1-8b-sliding", SlidingWindow = new SlidingWindow(WindowTokens: 4096, Layers: 16),
    };

    public static Gen<ModelArchitecture> Model { get; } =
        Gen.OneOfConst(Fixtures.Llama8B, Fixtures.Llama70B, Fixtures.DeepSeekR1, Fixtures.Kipply52B, Llama8BSliding);

    /// <summary>A model with a tensor-parallel degree in {1, 2, 4, 8} (all fixtures have head counts divisible by 8).</summary>
    public static Gen<(ModelArchitecture Model, int Tensor)> ModelAndTensor { get; } =
        Gen.Select(Model, Gen.OneOfConst(1, 2, 4, 8));

    public static Gen<EfficiencyFactors> Efficiency { get; } = Gen.OneOfConst(EfficiencyFactors.Default, EfficiencyFactors.Ideal);

    public static ServingSetup Setup(ModelArchitecture model, int tensor, Accelerator? accelerator = null, EfficiencyFactors? efficiency = null) =>
        Fixtures.Setup(model, accelerator ?? Fixtures.H100, new Parallelism(Tensor: tensor), efficiency);

    public static Accelerator WithBandwidth(Accelerator accelerator, double factor) =>
        accelerator with { MemoryBandwidth = accelerator.MemoryBandwidth * factor };

    public static Gen<double> AnyDouble { get; } =
        Gen.OneOf(Gen.Double, Gen.OneOfConst(double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.MaxValue));
}
