using System.CommandLine;
using Infercost.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Infercost.Cli.Inputs;

/// <summary>The <c>--cluster</c> option of the commands that send their work units to an Orleans cluster (<c>search</c>,
/// <c>simulate --runs</c>), and the client's connection to it.</summary>
internal static class ClusterInputs
{
    /// <summary>Most time to wait for a gateway of <c>--cluster</c> to answer.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a busy silo may take to answer a liveness probe before it is given up.</summary>
    public static readonly TimeSpan Liveness = TimeSpan.FromSeconds(30);

    /// <summary>The option: <c>HOST:PORT[,HOST:PORT]</c>, described by <paramref name="description"/>.</summary>
    public static Option<string?> Option(string description) => new("--cluster") { Description = description, HelpName = "HOST:PORT[,HOST:PORT]" };

    /// <summary>Parses <paramref name="gateways"/>, connects to the cluster, runs <paramref name="work"/> with the client
    /// and disconnects.</summary>
    /// <exception cref="InvalidInputException">Not <c>HOST:PORT</c>, or no gateway answered (names <c>--cluster</c>).</exception>
    public static T Run<T>(string gateways, Func<IClusterClient, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var endpoints = ClusterHosting.ParseEndpoints(gateways, "--cluster");
        using var host = ClusterHosting.ConnectAsync(endpoints, gateways, ConnectTimeout, CancellationToken.None).GetAwaiter().GetResult();
        var result = work(host.Services.GetRequiredService<IClusterClient>()).GetAwaiter().GetResult();
        host.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        return result;
    }
}
