package kr.nuri.sim.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsOpenbPodsWithSharingAndModelConstraints() throws Exception {
        Path f = Files.writeString(dir.resolve("pods.csv"), """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos
                p0,12000,16384,1,1000,,LS
                p1,6000,12288,1,460,V100M16|V100M32,BE
                p2,4000,1024,0,0,,BE
                """);
        List<OpenbTrace.Pod> pods = OpenbTrace.pods(f);
        assertThat(pods).hasSize(3);
        assertThat(pods.get(1).gpuMilli()).isEqualTo(460);
        assertThat(pods.get(1).gpuSpec()).isEqualTo(Set.of("V100M16", "V100M32"));
        assertThat(pods.get(2).totalGpuMilli()).isZero();
    }

    @Test
    void aBadCellIsNamedByFileLineColumnAndValue() throws Exception {
        Path f = Files.writeString(dir.resolve("pods.csv"), """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli
                p0,12000,16384,1,1000
                p1,6000,12288,two,460
                """);
        assertThatThrownBy(() -> OpenbTrace.pods(f)).isInstanceOf(TraceException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("line 3").hasMessageContaining("column num_gpu")
                .hasMessageContaining("value 'two'");
        Path g = Files.writeString(dir.resolve("pods2.csv"), """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli
                p0,12000,16384,2,500
                """);
        assertThatThrownBy(() -> OpenbTrace.pods(g)).hasMessageContaining("line 2").hasMessageContaining("column gpu_milli")
                .hasMessageContaining("only a single-GPU pod may share");
        Path h = Files.writeString(dir.resolve("nodes.csv"), "sn,cpu_milli,gpu,model\nn0,1000,2,T4\n");
        assertThatThrownBy(() -> OpenbTrace.nodes(h)).hasMessageContaining("line 1").hasMessageContaining("no column 'memory_mib'");
    }
}
