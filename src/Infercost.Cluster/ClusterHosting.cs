using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace Infercost.Cluster;

/// <summary>Where a silo listens and which cluster it joins.</summary>
/// <param name="Address">The address it listens on and advertises (loopback by default).</param>
/// <param name="Port">Silo-to-silo port.</param>
/// <param name="GatewayPort">Port clients (<c>search --cluster</c>, <c>simulate --cluster</c>) connect to.</param>
/// <param name="Seed">The primary silo's silo port (development clustering); null: this silo is the primary.</param>
/// <param name="Threads">Units (search candidates, seed-runs) it simulates at once.</param>
public sealed record SiloSettings(IPAddress Address, int Port, int GatewayPort, IPEndPoint? Seed, int Threads);

// Development clustering: the primary silo keeps the membership table in memory and every other silo names it. No
// database to set up, and enough for silos on one machine or a few; the primary is the one silo the cluster cannot
// lose. Membership is tuned to give up a silo within a few seconds (loopback, small clusters), not Orleans' minute.

/// <summary>Builds silos and clients for cluster searches.</summary>
public static class ClusterHosting
{
    /// <summary>The cluster and service id every silo and client uses.</summary>
    public const string ClusterId = "infercost";

    /// <summary>A silo host (not started).</summary>
    public static IHost Silo(SiloSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new HostBuilder()
            .UseOrleans(silo =>
            {
                silo.UseDevelopmentClustering(settings.Seed ?? new IPEndPoint(settings.Address, settings.Port));
                silo.ConfigureEndpoints(settings.Address, settings.Port, settings.GatewayPort, listenOnAnyHostAddress: false);
                silo.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = ClusterId;
                    o.ServiceId = ClusterId;
                });
                AddSearchWorkers(silo, settings.Threads);
            })
            .Build();
    }

    /// <summary>What every silo that runs search units needs: the placement, the workers' threads, quick failure detection.</summary>
    public static void AddSearchWorkers(ISiloBuilder silo, int threads) => AddSearchWorkers(silo, threads, beforeUnit: null);

    /// <summary><see cref="AddSearchWorkers(ISiloBuilder, int)"/> with a hook awaited before each unit (see
    /// <see cref="SearchWorkerSlots.BeforeUnit"/>).</summary>
    internal static void AddSearchWorkers(ISiloBuilder silo, int threads, Func<string, int, CancellationToken, Task>? beforeUnit)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(2);
        });
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromHours(1));
        silo.Services.AddSingleton(_ => new SearchWorkerSlots(threads) { BeforeUnit = beforeUnit });
        silo.Services.AddPlacementDirector<OnSiloPlacement, OnSiloPlacementDirector>();
    }

    /// <summary>What a client that sends search units needs: a unit is one simulation and can take minutes, so calls do
    /// not time out (the silos' liveness probes find a silo that is gone; see <see cref="ClusterEvaluator"/>).</summary>
    public static void AddSearchClient(IClientBuilder client)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromHours(1));
    }

    /// <summary>Connects a client to the gateways, giving up after <paramref name="timeout"/>.</summary>
    /// <param name="gateways">Gateway endpoints.</param>
    /// <param name="shown">How messages name the address (the <c>--cluster</c> value).</param>
    /// <param name="timeout">Most time to wait for a gateway.</param>
    /// <param name="cancellation">Cancels the attempt.</param>
    /// <exception cref="InvalidInputException">No gateway answered in time (names <c>--cluster</c>).</exception>
    public static async Task<IHost> ConnectAsync(IReadOnlyList<IPEndPoint> gateways, string shown, TimeSpan timeout, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        var host = new HostBuilder()
            .UseOrleansClient(client =>
            {
                client.UseStaticClustering([.. gateways]);
                client.Configure<ClusterOptions>(o =>
                {
                    o.ClusterId = ClusterId;
                    o.ServiceId = ClusterId;
                });
                AddSearchClient(client);
                client.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            })
            .Build();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        limit.CancelAfter(timeout);
        try
        {
            await host.StartAsync(limit.Token).ConfigureAwait(false);
            return host;
        }
#pragma warning disable CA1031 // Whatever the connection attempt throws, the user gets one line naming --cluster.
        catch (Exception e) when (!cancellation.IsCancellationRequested)
#pragma warning restore CA1031
        {
            host.Dispose();
            var why = e is OperationCanceledException ? $"no gateway answered within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" : FirstLine(e.Message);
            throw new InvalidInputException("cluster", $"--cluster {shown}: cannot reach the cluster ({why}); start a silo there with 'infercost cluster silo', or give its gateway HOST:PORT.");
        }
    }

    /// <summary>Parses <c>HOST:PORT[,HOST:PORT...]</c> (IP addresses or <c>localhost</c>).</summary>
    /// <exception cref="InvalidInputException">Not of that form (names <paramref name="flag"/>).</exception>
    public static IReadOnlyList<IPEndPoint> ParseEndpoints(string text, string flag)
    {
        ArgumentNullException.ThrowIfNull(text);
        var list = new List<IPEndPoint>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var colon = part.LastIndexOf(':');
            var host = colon > 0 ? part[..colon] : "";
            IPAddress? address = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.TryParse(host, out var a) ? a : null;
            if (address is null || !int.TryParse(part[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new InvalidInputException(flag.TrimStart('-'), $"{flag} must be HOST:PORT (an IP address or localhost, a port in [1, 65535]), comma-separated for several; was '{text}'.");
            }

            list.Add(new IPEndPoint(address, port));
        }

        return list;
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
