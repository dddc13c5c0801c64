package kr.nuri.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Issue 17: "History like sacct: nuri history …; a finished job keeps the GPU model and nodes it ran on". */
class HistoryCommandTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aFinishedJobShowsWhereAndHowLongItRan() {
        Object[] row = HistoryCommand.row(JSON.readTree("""
                {"id":"job-7","name":"train","project":"a1","user":"alice","state":"COMPLETED","gpus":16,"gpusPerNode":8,"gpuMilli":0,
                 "started":"2026-12-07T08:00:00Z","ended":"2026-12-07T09:30:05Z","gpuHours":24.02,
                 "placement":{"model":"H100","pool":"H100@org-a","borrowed":false,"nodes":[{"node":"h-1-r1-n1","gpus":8},{"node":"h-1-r1-n2","gpus":8}],
                              "site":"s1","siteJobId":null}}
                """));
        assertThat(row).containsExactly("job-7", "train", "a1", "alice", "COMPLETED", "16", "H100@org-a", "2026-12-07T08:00:00Z",
                "2026-12-07T09:30:05Z", "01:30:05", "24.0", "h-1-r1-n1,h-1-r1-n2", "s1");
        Object[] never = HistoryCommand.row(JSON.readTree("{\"id\":\"job-8\",\"project\":\"a1\",\"user\":\"alice\",\"state\":\"CANCELLED\",\"gpus\":8,"
                + "\"ended\":\"2026-12-07T09:00:00Z\",\"gpuHours\":0,\"placement\":null}"));
        assertThat(never[6]).as("cancelled while it waited: it ran nowhere").isEqualTo("-");
        assertThat(never[9]).isEqualTo("0:00");
    }

    @Test
    void formatPicksColumnsBySacctsNamesOrNuris() {
        var spec = new picocli.CommandLine(new HistoryCommand()).getCommandSpec();
        assertThat(HistoryCommand.columns("JobID,JobName%30,state,Elapsed,site", spec)).containsExactly(0, 1, 4, 9, 12);
        assertThat(HistoryCommand.columns(null, spec)).hasSize(HistoryCommand.COLUMNS.size() - 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistoryCommand.columns("JobID,MaxRSS", spec))
                .hasMessageContaining("--format MaxRSS").hasMessageContaining("no such column");
    }
}
