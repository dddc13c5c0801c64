package kr.nuri.server.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import kr.nuri.config.SiteBackend;
import kr.nuri.core.job.Launch;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a run looks like to slurmrestd v0.0.38: pinned nodes, GPUs, exclusivity, the tag, and the site's priority. */
class SlurmLaunchesTest {
    private static SiteBackend site(long priority) {
        return new SiteBackend("s1", "http://h:6820", "root", Path.of("/k"), null, "nuri", Map.of("n1", "gn0001"),
                Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(10), priority);
    }

    private static final Dispatch GANG = new Dispatch("j7", 2, "alice", "train", List.of("gn0001", "gn0002"), new int[] {8, 8}, true,
            3600, 0, new Launch("#!/bin/sh\nsleep 2\n", "/work", Map.of("A", "1"), "/out/%j", null));

    @Test
    void aGangIsPinnedToItsNodesAndTaggedWithItsRun() {
        JsonNode job = new SlurmLaunches(site(0), JsonMapper.builder().build()).body(GANG, 1234).get("job");
        assertThat(job.get("nodelist").asString()).isEqualTo("gn0001,gn0002");
        assertThat(job.get("nodes").asString()).isEqualTo("2");
        assertThat(job.get("gpus_per_node").asString()).isEqualTo("8");
        assertThat(job.get("exclusive").asString()).isEqualTo("exclusive");
        assertThat(job.get("no_requeue").asBoolean()).isTrue();
        assertThat(job.get("comment").asString()).isEqualTo("nuri job=j7 run=2 epoch=1234");
        assertThat(job.get("time_limit").asInt()).as("a minute past the walltime, in minutes").isEqualTo(61);
        assertThat(job.get("environment").get("NURI_USER").asString()).isEqualTo("alice");
        assertThat(job.has("priority")).as("without a site priority, Slurm's own").isFalse();
    }

    @Test
    void aSitePriorityGoesOnEveryRun() {
        JsonNode job = new SlurmLaunches(site(1_000_000), JsonMapper.builder().build()).body(GANG, 1234).get("job");
        assertThat(job.get("priority").asLong()).isEqualTo(1_000_000);
    }
}
