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

    @Test
    void readsNurisFormatAsCsvAndJsonLinesAlike() throws Exception {
        Path csv = Files.writeString(dir.resolve("jobs.csv"), """
                id,submit,project,gpus,gpus_per_member,runtime,walltime,gpu_model,priority_class,preemptible
                a,0,p1,16,8,3600,7200,B200|H200,training,false
                ,60,p2,4,,1800,,,,true
                """);
        Path jsonl = Files.writeString(dir.resolve("jobs.jsonl"), """
                {"id": "a", "submit": 0, "project": "p1", "gpus": 16, "gpus_per_member": 8, "runtime": 3600, "walltime": 7200, "gpu_model": "B200|H200", "priority_class": "training", "preemptible": false}

                {"submit": 60, "project": "p2", "gpus": 4, "runtime": 1800, "preemptible": true}
                """);
        var fromCsv = NuriTrace.read(csv);
        var fromJson = NuriTrace.read(jsonl);
        assertThat(fromCsv).hasSize(2);
        assertThat(fromCsv.get(0)).isEqualTo(fromJson.get(0));
        assertThat(fromCsv.get(0).spec().members()).isEqualTo(2);
        assertThat(fromCsv.get(0).spec().models()).containsExactly("B200", "H200");
        assertThat(fromCsv.get(1).time()).isEqualTo(60);
        assertThat(fromCsv.get(1).spec().preemptible()).isTrue();
        assertThat(fromCsv.get(1).spec().id()).isEqualTo("t3");
        assertThat(fromJson.get(1).spec().id()).isEqualTo("t3");
    }

    @Test
    void nurisFormatNamesTheBadField() throws Exception {
        Path jsonl = Files.writeString(dir.resolve("bad.jsonl"), "{\"submit\": 0, \"project\": \"p\", \"gpus\": 8, \"runtime\": 60}\n"
                + "{\"submit\": 0, \"project\": \"p\", \"gpus\": 8, \"gpus_per_member\": 3, \"runtime\": 60}\n");
        assertThatThrownBy(() -> NuriTrace.read(jsonl)).hasMessageContaining("line 2").hasMessageContaining("column gpus_per_member")
                .hasMessageContaining("value '3'").hasMessageContaining("must divide gpus");
        Path missing = Files.writeString(dir.resolve("m.jsonl"), "{\"submit\": 0, \"gpus\": 8, \"runtime\": 60}\n");
        assertThatThrownBy(() -> NuriTrace.read(missing)).hasMessageContaining("line 1").hasMessageContaining("column project");
        Path csv = Files.writeString(dir.resolve("bad.csv"), "submit,project,gpus,runtime\n0,p,-4,60\n");
        assertThatThrownBy(() -> NuriTrace.read(csv)).hasMessageContaining("line 2").hasMessageContaining("column gpus")
                .hasMessageContaining("value '-4'");
    }

    @Test
    void nurisFormatTakesGpuSharesCpuAndMemory() throws Exception {
        Path csv = Files.writeString(dir.resolve("share.csv"), """
                id,submit,project,gpus,runtime,gpu_milli,cpu_milli,memory_mib
                half,0,p,1,60,500,4000,16384
                cpu,5,p,0,60,,2000,
                whole,9,p,2,60,1000,8000,
                """);
        var jobs = NuriTrace.read(csv);
        assertThat(jobs.get(0).spec().sharing()).isTrue();
        assertThat(jobs.get(0).spec().gpuMilli()).isEqualTo(500);
        assertThat(jobs.get(0).spec().memoryMib()).isEqualTo(16_384);
        assertThat(jobs.get(1).spec().gpusPerMember()).isZero();
        assertThat(jobs.get(1).spec().cpuMilli()).isEqualTo(2_000);
        assertThat(jobs.get(2).spec().sharing()).as("1000 thousandths = whole GPUs").isFalse();
        assertThat(jobs.get(2).spec().nodeFit()).isTrue();
        Path twoShared = Files.writeString(dir.resolve("bad-share.csv"), "submit,project,gpus,runtime,gpu_milli\n0,p,2,60,500\n");
        assertThatThrownBy(() -> NuriTrace.read(twoShared)).hasMessageContaining("line 2").hasMessageContaining("column gpu_milli")
                .hasMessageContaining("500");
        Path nothing = Files.writeString(dir.resolve("bad-cpu.csv"), "submit,project,gpus,runtime\n0,p,0,60\n");
        assertThatThrownBy(() -> NuriTrace.read(nothing)).hasMessageContaining("column gpus").hasMessageContaining("CPU-only");
        Path gang = Files.writeString(dir.resolve("bad-gang.csv"), "submit,project,gpus,gpus_per_member,runtime,cpu_milli\n0,p,16,8,60,1000\n");
        assertThatThrownBy(() -> NuriTrace.read(gang)).hasMessageContaining("column gpus_per_member").hasMessageContaining("one node");
    }

    @Test
    void readsPhillyJobsAndVcs() throws Exception {
        Path jobs = Files.writeString(dir.resolve("philly.csv"), """
                timestamp,duration,num_gpus,gpu_time,cluster
                2017-10-09 07:01:55,66.0,1,66.0,11cb48
                2017-10-09 06:13:03,2951.5,8,23612.0,6214e9

                """);
        var list = PhillyTrace.jobs(jobs);
        assertThat(list).hasSize(2);
        assertThat(list.get(1).duration()).isEqualTo(2952);
        assertThat(list.get(0).submit() - PhillyTrace.day("2017-10-09")).isEqualTo(7 * 3600 + 60 + 55);
        Path bad = Files.writeString(dir.resolve("bad.csv"), "timestamp,duration,num_gpus,gpu_time,cluster\n2017/10/09,66,1,66,a\n");
        assertThatThrownBy(() -> PhillyTrace.jobs(bad)).hasMessageContaining("line 2").hasMessageContaining("column timestamp")
                .hasMessageContaining("value '2017/10/09'");
        Path vcs = Files.writeString(dir.resolve("vc.csv"), "vc,node num\na,64\nb,8\n");
        assertThat(PhillyTrace.vcNodes(vcs)).containsExactly(java.util.Map.entry("a", 64), java.util.Map.entry("b", 8));
    }
}
