using Orleans.TestingHost;

namespace Infercost.Cluster.Tests;

// In-process clusters for the cluster tests (Orleans TestingHost): silos configured by TConfigurator, and a client
// configured as the CLI's (ClusterHosting.AddSearchClient: units can outlast the default 30 s response timeout on a
// loaded machine). A test that holds units with a hook keeps its own configurator, so that concurrent test classes do
// not share a hook.
internal static class TestSilos
{
    /// <summary>Starts <paramref name="silos"/> silos configured by <typeparamref name="TConfigurator"/> and a client.</summary>
    public static async Task<TestCluster> Deploy<TConfigurator>(short silos)
        where TConfigurator : ISiloConfigurator, new()
    {
        var builder = new TestClusterBuilder(silos);
        builder.AddSiloBuilderConfigurator<TConfigurator>();
        builder.AddClientBuilderConfigurator<Client>();
        var cluster = builder.Build();
        await cluster.DeployAsync(TestContext.Current.CancellationToken);
        return cluster;
    }

    /// <summary>Awaits <paramref name="work"/> for at most <paramref name="bound"/>; past it, fails naming what the
    /// dispatcher saw (<paramref name="state"/>), so that a hang in CI says where it stood.</summary>
    public static async Task<T> Within<T>(Task<T> work, TimeSpan bound, Func<string> state)
    {
        try
        {
            return await work.WaitAsync(bound, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"not done within {bound}: {state()}", e);
        }
    }

    /// <summary>One worker thread per silo, no hook.</summary>
    public sealed class OneThreadPerSilo : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => ClusterHosting.AddSearchWorkers(siloBuilder, threads: 1);
    }

    private sealed class Client : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
            ClusterHosting.AddSearchClient(clientBuilder);
    }
}
