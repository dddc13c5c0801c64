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
}
