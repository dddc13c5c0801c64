package kr.nuri.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Issue 17: "nuri nodes -N pages or summarises instead of printing 44,573 lines at once". */
class NodesCommandTest {

    @Test
    void aPageSaysWhatIsLeftAndHowToSeeIt() {
        assertThat(NodesCommand.pageNote(0, 1000, 44_572)).isEqualTo("showing 1-1,000 of 44,572 nodes: --offset 1000 for the next, --all for every"
                + " one, or narrow with --site, --model, --health");
        assertThat(NodesCommand.pageNote(44_000, 572, 44_572)).as("the last page").isNull();
        assertThat(NodesCommand.pageNote(0, 32, 32)).as("a small fleet fits").isNull();
    }
}
