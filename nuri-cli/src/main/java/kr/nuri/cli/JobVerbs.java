package kr.nuri.cli;

import java.util.List;
import java.util.concurrent.Callable;
import kr.nuri.cli.client.ApiClient;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code nuri hold|release|requeue JOBID…} (like scontrol hold, release, requeue): one verb on each job. */
abstract class JobVerbs implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(arity = "1..*", paramLabel = "JOBID")
    List<String> ids;

    abstract String verb();

    abstract String done();

    @Override
    public Integer call() {
        ApiClient c = connection.client();
        int failed = 0;
        for (String id : ids) {
            try {
                c.post("/api/v1/jobs/" + Query.encode(id) + "/" + verb(), null);
                System.out.println(done() + " " + Text.printable(id));
            } catch (IllegalArgumentException e) {
                System.err.println("nuri " + verb() + ": " + Text.printable(id + ": " + e.getMessage()));
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }

    @Command(name = "hold", mixinStandardHelpOptions = true, description = "Hold waiting jobs: they keep their place and start only once released.")
    static final class Hold extends JobVerbs {
        String verb() { return "hold"; }
        String done() { return "held"; }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Release held jobs.")
    static final class Release extends JobVerbs {
        String verb() { return "release"; }
        String done() { return "released"; }
    }

    @Command(name = "requeue", mixinStandardHelpOptions = true,
            description = "Put running jobs back in the queue at their old place (work since the last checkpoint is lost).")
    static final class Requeue extends JobVerbs {
        String verb() { return "requeue"; }
        String done() { return "requeued"; }
    }
}
