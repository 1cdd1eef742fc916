using Infercost.Costing;
using Infercost.Serving;
using Infercost.Simulation;

namespace Infercost.Tests.Simulation;

internal static class SimulationFixtures
{
    /// <summary>Llama 3.1 8B on one H100 with the default (calibrated) efficiency.</summary>
    public static ServingSetup Llama8BOnH100 { get; } = Setup();

    public static ServingSetup Setup(double reserve = 0.10) =>
        new(Fixtures.Llama8B, Fixtures.H100, Parallelism.Single, new ServingConfig { TotalDevices = 1, MemoryReserveFraction = reserve });

    public static SimulationOptions Options(SchedulerConfig? scheduler = null) =>
        new(scheduler ?? SchedulerConfig.Default, Slo.Default, new RentalCost());

    public static RequestGenerator Poisson(double rate, int input, int output, long count, long seed = 1) =>
        new(ArrivalProcess.Poisson(rate), new FixedLength(input), new FixedLength(output), seed, count);
}
