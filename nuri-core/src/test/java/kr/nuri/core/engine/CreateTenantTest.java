package kr.nuri.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import kr.nuri.core.World;
import kr.nuri.core.command.Command;
import kr.nuri.core.job.JobSpec;
import kr.nuri.core.job.JobState;
import kr.nuri.core.state.Snapshot;
import org.junit.jupiter.api.Test;

/**
 * Tenancy finding 4, its first half: "No way to add an organisation or a project (POST /tenants is 404; the code says
 * 'the tree never changes')". An organisation and its projects are created by journaled commands while jobs run; they
 * take quota on the pools their line owns, run jobs, and replay, snapshots and the invariants hold across the change.
 */
class CreateTenantTest {

    private static Result create(World w, String name, String parent) {
        return w.apply(new Command.CreateTenant(w.now, name, parent, 1, false));
    }

    @Test
    void anOrganisationAndItsProjectsAreCreatedWhileJobsRun() {
        World w = World.owned();
        w.submit(JobSpec.builder("before", "a1").gang(2, 8).models("H100").walltime(86_400).build());
        assertThat(w.job("before").state()).isEqualTo(JobState.RUNNING);
        long tenantsBefore = w.engine.state().tenants().size();
        w.at(600);
        assertThat(create(w, "a3", "org-a").accepted()).isTrue();
        assertThat(create(w, "org-c", "public").accepted()).isTrue();
        assertThat(create(w, "c1", "org-c").accepted()).isTrue();
        var tree = w.engine.state().tenants();
        assertThat(tree.size()).isEqualTo(tenantsBefore + 3);
        assertThat(tree.index("a3")).as("appended: no index moves").isEqualTo((int) tenantsBefore);
        assertThat(tree.isWithin(tree.index("c1"), tree.index("public"))).isTrue();
        assertThat(w.job("before").state()).as("running jobs go on").isEqualTo(JobState.RUNNING);

        // a3 claims org-a's H100 once a2 gives some up: the pool never guarantees more than it has.
        Result full = w.apply(new Command.SetQuota(w.now, "a3", "H100", 8, -1, -1));
        assertThat(full.accepted()).isFalse();
        assertThat(full.rejection().message()).contains("H100@org-a", "short by 8");
        assertThat(w.apply(new Command.SetQuota(w.now, "a2", "H100", 24, -1, -1)).accepted()).isTrue();
        assertThat(w.apply(new Command.SetQuota(w.now, "a3", "H100", 8, -1, -1)).accepted()).isTrue();
        w.submit(JobSpec.builder("a3-job", "a3").gpus(8).models("H100").walltime(3600).build());
        assertThat(w.job("a3-job").state()).as(w.verdict("a3-job").toString()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("a3-job").borrowed()).isFalse();
        // org-c owns nothing: its project borrows inside the public sector, preemptibly.
        w.submit(JobSpec.builder("c1-job", "c1").gpus(8).models("H100").preemptible(true).walltime(3600).build());
        assertThat(w.job("c1-job").state()).isEqualTo(JobState.RUNNING);
        assertThat(w.job("c1-job").borrowed()).isTrue();

        assertThat(w.replayed().stateHash()).as("the journal alone rebuilds it").isEqualTo(w.engine.stateHash());
        Snapshot snapshot = w.engine.snapshot();
        Engine restored = new Engine(w.config);
        restored.restore(snapshot);
        assertThat(restored.stateHash()).as("a snapshot carries the created tenants").isEqualTo(w.engine.stateHash());
        assertThat(restored.state().tenants().index("c1")).isEqualTo(w.engine.state().tenants().index("c1"));
    }

    @Test
    void badCreationsAreRefusedNamingTheField() {
        World w = World.owned();
        w.submit(JobSpec.builder("j", "a1").gpus(1).models("H100").walltime(3600).build());
        long hash = w.engine.stateHash();
        assertThat(create(w, "a1", "org-a").rejection().message()).contains("exists already");
        assertThat(create(w, "no good", "org-a").rejection().field()).isEqualTo("name");
        assertThat(create(w, "x", "nowhere").rejection().field()).isEqualTo("parent");
        Result underProject = create(w, "sub", "a1");
        assertThat(underProject.rejection().field()).isEqualTo("parent");
        assertThat(underProject.rejection().message()).contains("a project does not become an organisation", "'org-a'");
        assertThat(w.apply(new Command.CreateTenant(w.now, "x", "org-a", 0, false)).rejection().field()).isEqualTo("weight");
        assertThat(w.engine.stateHash()).as("nothing stored changes").isEqualTo(hash);
    }
}
