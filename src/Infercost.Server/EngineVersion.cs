using System.Reflection;

namespace Infercost.Server;

/// <summary>The version of the core that computes the answers (saved with every scenario).</summary>
public static class EngineVersion
{
    /// <summary>The core assembly's informational version (without build metadata).</summary>
    public static string Current { get; } =
        (typeof(Catalog.Catalog).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        .Split('+')[0];
}
