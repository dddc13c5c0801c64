package kr.nuri.core.schedule;

/** Where a gang goes: {@code gpus[i]} GPUs on node {@code nodes[i]}, all of {@code pool}. */
public record Placement(int pool, int[] nodes, int[] gpus) {
    public int totalGpus() {
        int t = 0;
        for (int g : gpus) t += g;
        return t;
    }
}
