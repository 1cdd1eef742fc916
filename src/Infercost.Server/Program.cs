using Infercost.Server;

// `dotnet run --project src/Infercost.Server` and `infercost serve` both start the app ServerApp builds.
await ServerApp.Create(args).RunAsync().ConfigureAwait(false);
