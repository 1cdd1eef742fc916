using System.CommandLine;
using System.Net;
using Infercost.Cli.Inputs;
using Infercost.Cluster;
using Microsoft.Extensions.Hosting;

namespace Infercost.Cli.Commands;

/// <summary><c>infercost cluster silo</c>: an Orleans silo that simulates <c>search --cluster</c> candidates and <c>simulate --runs N --cluster</c> seed-runs.</summary>
internal static class ClusterCommand
{
    /// <summary>Builds the command group.</summary>
    public static Command Create(CliContext context)
    {
        var address = new Option<string?>("--address") { Description = "The IP address the silo listens on and advertises. Default: 127.0.0.1 (this machine only).", HelpName = "IP" };
        var port = CliOptions.Int("--port", "Silo-to-silo port.", 1, 65535, 11111);
        var gatewayPort = CliOptions.Int("--gateway-port", "Port clients connect to (search or simulate --cluster HOST:THIS).", 1, 65535, 30000);
        var seed = new Option<string?>("--seed-silo")
        {
            Description = "The primary silo's address and silo port (its --address:--port) to join. Default: this silo is the primary; start it first.",
            HelpName = "HOST:PORT",
        };
        var threads = CliOptions.OptionalInt("--threads", "Candidates or seed-runs this silo simulates at once. Default: one per core.", 1, 4096);
        var silo = new Command("silo",
            "Start an Orleans silo that simulates search candidates for 'infercost search --cluster' and seed-runs for 'infercost simulate --runs N --cluster'; runs until Ctrl+C. The first silo is the primary " +
            "(development clustering: it holds the membership in memory, and the cluster does not survive losing it); the others join it with --seed-silo." +
            "\n\nExample:\n  infercost cluster silo" +
            "\n  infercost cluster silo --port 11112 --gateway-port 30001 --seed-silo 127.0.0.1:11111");
        foreach (var option in new Option[] { address, port, gatewayPort, seed, threads }) silo.Options.Add(option);
        silo.SetAction(parse =>
        {
            var ip = IPAddress.Loopback;
            if (parse.GetValue(address) is { } text && !IPAddress.TryParse(text, out ip))
            {
                throw new InvalidInputException("address", $"--address must be an IP address; was '{text}'.");
            }

            var primary = parse.GetValue(seed) is { } s ? ClusterHosting.ParseEndpoints(s, "--seed-silo") : null;
            if (primary is { Count: > 1 }) throw new InvalidInputException("seed-silo", $"--seed-silo takes one HOST:PORT; was '{parse.GetValue(seed)}'.");
            var settings = new SiloSettings(ip, parse.GetValue(port), parse.GetValue(gatewayPort), primary?[0], parse.GetValue(threads) ?? Environment.ProcessorCount);
            if (settings.Port == settings.GatewayPort) throw new InvalidInputException("gateway-port", $"--gateway-port must differ from --port; both were {settings.Port}.");
            using var host = ClusterHosting.Silo(settings);
            host.Start();
            context.Out.WriteLine($"Silo {ip}:{settings.Port} (gateway {ip}:{settings.GatewayPort}, {settings.Threads} threads) in cluster '{ClusterHosting.ClusterId}', " +
                $"primary {(settings.Seed is { } p ? p.ToString() : "this silo")}. Ctrl+C stops it.");
            context.Out.Flush();
            host.WaitForShutdown();
            return ExitCodes.Ok;
        });

        var command = new Command("cluster", "Run search candidates or simulate's seed-runs on an Orleans cluster: start 'cluster silo' on each machine, then 'search ... --cluster HOST:GATEWAY' or 'simulate ... --runs N --cluster HOST:GATEWAY'." +
            "\n\nExample:\n  infercost cluster silo");
        command.Subcommands.Add(silo);
        return command;
    }
}
