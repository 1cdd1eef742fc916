// Each test class deploys its own Orleans cluster (in-process TestCluster silos, or separate silo processes) and
// judges silos by how fast they answer a liveness probe. Run in parallel on a 2-core machine the clusters starve one
// another's probes, and a silo-kill test once waited out its 3-minute bound in CI (2026-12-04) while passing in 5 s
// alone; one cluster at a time keeps the liveness timings about the code, not the neighbours.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
