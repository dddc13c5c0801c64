package kr.nuri.core.fleet;

/**
 * A change of the fleet made at runtime, as the engine's config and snapshots keep it: a block added ({@code site} set;
 * {@code racks} × {@code nodesPerRack} nodes of {@code gpusPerNode} GPUs of {@code model}, owned by {@code owner}), or a
 * block given another owner ({@code site} null). Applying one never moves an index (see {@link Fleet#withBlock}).
 */
public record FleetChange(String block, String site, String model, String owner, int racks, int nodesPerRack, int gpusPerNode) {

    public static FleetChange added(String site, String block, String model, String owner, int racks, int nodesPerRack, int gpusPerNode) {
        return new FleetChange(block, site, model, owner, racks, nodesPerRack, gpusPerNode);
    }

    public static FleetChange owner(String block, String owner) {
        return new FleetChange(block, null, null, owner, 0, 0, 0);
    }

    public boolean adds() {
        return site != null;
    }

    /**
     * The fleet after this change; the same fleet where the change is in it already (the fleet file has listed the block,
     * or the owner, since).
     */
    public Fleet apply(Fleet f) {
        int b = f.blockIndex(block);
        if (adds()) return b >= 0 ? f : f.withBlock(site, block, model, owner, racks, nodesPerRack, gpusPerNode);
        String to = owner == null || owner.isBlank() ? Fleet.UNASSIGNED : owner;
        return f.ownerOfBlock(b).equals(to) ? f : f.withOwner(b, to);
    }
}
