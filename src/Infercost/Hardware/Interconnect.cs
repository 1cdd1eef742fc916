namespace Infercost.Hardware;

// A GPU's scale-up fabric is a switch (NVSwitch, Infinity Fabric through a switch or a full mesh): every device reaches
// every other over its own links at its full bandwidth. A TPU slice is a torus of point-to-point ICI links: a device
// reaches only its neighbours, and a collective's time depends on the slice's shape. The two are priced by different
// formulas (Serving/Communication.cs, Serving/TorusCollectives.cs), so the catalog says which one a part has.

/// <summary>The shape of an accelerator's scale-up fabric: what selects the collective model.</summary>
public enum Interconnect
{
    /// <summary>Every device of the domain reaches every other through a switch at its full link bandwidth (NVLink
    /// through NVSwitch, the default for a catalog entry that says nothing).</summary>
    Switch = 0,
    /// <summary>A 2D torus of point-to-point links, four per chip (Cloud TPU v5e and v6e: "Interconnect topology 2D
    /// torus", "ICI ports per chip 4").</summary>
    Torus2d,
    /// <summary>A 3D torus of point-to-point links, six per chip (Cloud TPU v5p: "Interconnect topology 3D torus";
    /// TPU7x Ironwood, which Google's page says shares many similarities with v5p).</summary>
    Torus3d,
}

/// <summary>Names and dimensions of <see cref="Interconnect"/>.</summary>
public static class Interconnects
{
    /// <summary>The names the catalog's <c>interconnect</c> field accepts, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["switch", "torus2d", "torus3d"];

    /// <summary>The catalog name (<c>switch</c>, <c>torus2d</c>, <c>torus3d</c>).</summary>
    public static string Name(this Interconnect interconnect) => Names[(int)interconnect];

    /// <summary>The interconnect a catalog name stands for; null for a name that is not one of <see cref="Names"/>.</summary>
    public static Interconnect? Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 0; i < Names.Count; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase)) return (Interconnect)i;
        }

        return null;
    }

    /// <summary>Axes of the torus: 2 or 3; 0 for a switch.</summary>
    public static int Dimensions(this Interconnect interconnect) => interconnect switch
    {
        Interconnect.Torus2d => 2,
        Interconnect.Torus3d => 3,
        _ => 0,
    };
}
