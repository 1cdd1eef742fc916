using Xunit;
using ModelCatalog = Infercost.Catalog.Catalog;

namespace Infercost.Tests.Catalog;

public class EmbeddedCatalogTests
{
    [Fact]
    public void Embedded_Loads_AtLeastTheSourcedEntries()
    {
        // Given the catalog shipped in the assembly
        // When it is loaded
        var catalog = ModelCatalog.Embedded;

        // Then it holds the 17 sourced accelerators and 15 sourced models (/work/shared/data)
        Assert.True(catalog.Accelerators.Count >= 17, $"{catalog.Accelerators.Count} accelerators");
        Assert.True(catalog.Models.Count >= 15, $"{catalog.Models.Count} models");
    }

    [Fact]
    public void Embedded_IsLoadedOnce()
    {
        // Given two reads of the embedded catalog
        // When compared
        // Then they are the same instance
        Assert.Same(ModelCatalog.Embedded, ModelCatalog.Embedded);
    }

    [Fact]
    public void Embedded_EveryEntry_HasSourcesAndAsOf()
    {
        // Given the embedded catalog
        var catalog = ModelCatalog.Embedded;

        // When each entry's provenance is read
        var sources = catalog.Accelerators.Select(a => (a.Id, a.Source)).Concat(catalog.Models.Select(m => (m.Id, m.Source)));

        // Then every entry names at least one source and the date its figures hold
        foreach (var (id, source) in sources)
        {
            Assert.True(source.Sources.Count > 0, $"{id} has no sources");
            Assert.False(string.IsNullOrWhiteSpace(source.AsOf), $"{id} has no asOf");
            Assert.Matches(@"^\d{4}(-\d{2}){0,2}$", source.AsOf);
        }
    }

    [Fact]
    public void Embedded_Ids_AreUniqueIgnoringCase()
    {
        // Given the embedded catalog
        var catalog = ModelCatalog.Embedded;

        // When ids are compared case-insensitively
        var accelerators = catalog.Accelerators.Select(a => a.Id.ToLowerInvariant()).ToList();
        var models = catalog.Models.Select(m => m.Id.ToLowerInvariant()).ToList();

        // Then none repeats
        Assert.Equal(accelerators.Count, accelerators.Distinct().Count());
        Assert.Equal(models.Count, models.Distinct().Count());
    }

    [Theory]
    [InlineData("nvidia-h100-sxm", 80, 3.35, 989, 1979, 450, 8, 50, 2.75)]
    [InlineData("nvidia-gb200", 186, 8.0, 2500, 5000, 900, 72, 50, 4.5)]
    [InlineData("amd-mi300x", 192, 5.3, 1307.4, 2614.9, 448, 8, 50, 2.25)]
    [InlineData("nvidia-l40s", 48, 0.864, 362.05, 733, 32, 1, 25, 1.35)]
    public void Embedded_Accelerator_CarriesTheSourcedFigures(
        string id, double memoryGB, double bandwidthTBps, double bf16, double fp8, double upGBps, int domain, double outGBps, double rental)
    {
        // Given an accelerator from the embedded catalog
        // When it is looked up
        var a = ModelCatalog.Embedded.GetAccelerator(id);

        // Then its figures are the sourced ones in canonical units (per-direction links, dense peaks, mid-band rental)
        Assert.Equal(memoryGB, a.Memory.Gigabytes, 9);
        Assert.Equal(bandwidthTBps * 1e12, a.MemoryBandwidth.Value, 3);
        Assert.Equal(bf16 * 1e12, a.Peaks.Bf16!.Value.Value, 3);
        Assert.Equal(fp8 * 1e12, a.Peaks.Fp8!.Value.Value, 3);
        Assert.Equal(upGBps * 1e9, a.ScaleUpBandwidth!.Value.Value, 3);
        Assert.Equal(domain, a.ScaleUpDomain);
        Assert.Equal(outGBps * 1e9, a.ScaleOutBandwidth.Value, 3);
        Assert.Equal(rental, a.RentalPerHour!.Value.Value, 9);
    }

    [Fact]
    public void Embedded_Cerebras_HasNoDensePeak()
    {
        // Given the WSE-3, for which only a sparse headline figure is published
        // When its dense peaks are read
        var peaks = ModelCatalog.Embedded.GetAccelerator("cerebras-wse-3").Peaks;

        // Then every one is absent rather than guessed
        Assert.All(Enum.GetValues<Precision>(), p => Assert.Null(peaks.For(p)));
    }

    [Fact]
    public void Embedded_Models_CarryPrecisionsAndWindows()
    {
        // Given the embedded catalog
        var c = ModelCatalog.Embedded;

        // When the models with special cases are read
        // Then DeepSeek ships FP8 weights, gpt-oss FP4 experts, and the sliding windows are as published
        Assert.Equal(Precision.Fp8, c.GetModel("deepseek-v3").DefaultWeightPrecision);
        Assert.Equal(Precision.Fp8, c.GetModel("deepseek-v3.2").DefaultWeightPrecision);
        Assert.Equal(Precision.Fp4, c.GetModel("gpt-oss-120b").DefaultExpertPrecision);
        Assert.Null(c.GetModel("llama-3.1-8b").DefaultExpertPrecision);
        Assert.Equal(new Infercost.Models.SlidingWindow(4096, 32), c.GetModel("mistral-7b").SlidingWindow);
        Assert.Equal(new Infercost.Models.SlidingWindow(128, 18), c.GetModel("gpt-oss-120b").SlidingWindow);
        Assert.Equal(new Infercost.Models.SlidingWindow(128, 12), c.GetModel("gpt-oss-20b").SlidingWindow);
    }

    [Theory]
    [InlineData("nvidia-gb300", 288, 8.0, Precision.Fp4, 15000)]
    [InlineData("nvidia-rubin", 288, 22.0, Precision.Fp4, 35000)]
    [InlineData("google-tpu-v7", 192, 7.37, Precision.Fp8, 4614)]
    [InlineData("aws-trainium2", 96, 2.9, Precision.Fp8, 1299)]
    [InlineData("aws-trainium3", 144, 4.9, Precision.Fp8, 2520)]
    [InlineData("aws-inferentia2", 32, 0.82, Precision.Bf16, 190)]
    public void Embedded_NonGpuAndNextGenerationEntries_CarryTheVendorsFigures(string id, double memoryGb, double tbps, Precision precision, double teraflops)
    {
        var a = ModelCatalog.Embedded.GetAccelerator(id);

        Assert.Equal(memoryGb * 1e9, a.Memory.Value, 0);
        Assert.Equal(tbps * 1e12, a.MemoryBandwidth.Value, 0);
        Assert.Equal(teraflops * 1e12, a.Peaks.For(precision)!.Value.Value, 0);
        Assert.NotEmpty(a.Source.Sources);
    }

    [Fact]
    public void Embedded_PrecisionAVendorDidNotPublish_IsRefusedNotDerived()
    {
        // Rubin has only an announced FP4 peak: a bf16 prediction is refused, naming the flag that fixes it
        var rubin = ModelCatalog.Embedded.GetAccelerator("nvidia-rubin");
        Assert.Null(rubin.Peaks.For(Precision.Bf16));
        Assert.Null(rubin.Peaks.For(Precision.Fp8));
        var e = Assert.Throws<InvalidInputException>(() => new Infercost.Serving.ServingSetup(ModelCatalog.Embedded.GetModel("llama-3.1-8b"), rubin,
            Infercost.Serving.Parallelism.Single, new Infercost.Serving.ServingConfig { TotalDevices = 1 }));
        Assert.Equal("computePrecision", e.Field);
    }
}
