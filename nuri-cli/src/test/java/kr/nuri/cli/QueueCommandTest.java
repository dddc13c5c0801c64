package kr.nuri.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class QueueCommandTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theGpuColumnShowsSharesAsFractions() {
        assertThat(QueueCommand.gpus(JSON.readTree("{\"gpus\":64,\"gpusPerNode\":8,\"gpuMilli\":0}"))).isEqualTo("64");
        assertThat(QueueCommand.gpus(JSON.readTree("{\"gpus\":1,\"gpusPerNode\":1,\"gpuMilli\":250}"))).isEqualTo("0.25");
        assertThat(QueueCommand.gpus(JSON.readTree("{\"gpus\":1,\"gpusPerNode\":1,\"gpuMilli\":5}"))).isEqualTo("0.005");
        assertThat(QueueCommand.gpus(JSON.readTree("{\"gpus\":0,\"gpusPerNode\":0,\"gpuMilli\":0,\"cpuMilli\":2000}"))).isEqualTo("0");
        assertThat(QueueCommand.gpus(JSON.readTree("{\"gpus\":8}"))).as("a server without shares").isEqualTo("8");
    }

    @Test
    void theNodeListNamesEachNodeOnceAndCountsThoseBeyondEight() {
        assertThat(QueueCommand.nodeList(JSON.readTree("[{\"node\":\"h-1-r1-n1\",\"gpus\":8},{\"node\":\"h-1-r1-n2\",\"gpus\":8},"
                + "{\"node\":\"h-1-r1-n1\",\"gpus\":8}]"))).isEqualTo("h-1-r1-n1,h-1-r1-n2");
        StringBuilder many = new StringBuilder("[");
        for (int i = 0; i < 10; i++) many.append(i == 0 ? "" : ",").append("{\"node\":\"n").append(i).append("\"}");
        assertThat(QueueCommand.nodeList(JSON.readTree(many.append("]").toString()))).isEqualTo("n0,n1,n2,n3,n4,n5,n6,n7,…(+2)");
    }

    @Test
    void theSiteColumnNamesTheSiteAndTheClusterManagersJobId() {
        assertThat(QueueCommand.site(JSON.readTree("{\"site\":\"daejeon\",\"siteJobId\":\"4711\"}"))).isEqualTo("daejeon:4711");
        assertThat(QueueCommand.site(JSON.readTree("{\"site\":\"haenam\",\"siteJobId\":null}"))).as("virtual execution").isEqualTo("haenam");
        assertThat(QueueCommand.site(JSON.readTree("null"))).as("a waiting job").isEqualTo("-");
    }
}
