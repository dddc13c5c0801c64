package kr.nuri.cli;

import java.util.List;
import java.util.concurrent.Callable;
import kr.nuri.cli.client.ApiClient;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.Connection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code nuri cancel}: cancel jobs (like scancel). */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel jobs (like scancel).")
final class CancelCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(arity = "1..*", paramLabel = "JOBID")
    List<String> ids;

    @Override
    public Integer call() {
        ApiClient c = connection.client();
        int failed = 0;
        for (String id : ids) {
            try {
                c.post("/api/v1/jobs/" + Query.encode(id) + "/cancel", null);
                System.out.println("cancelled " + kr.nuri.cli.client.Text.printable(id));
            } catch (IllegalArgumentException e) {
                System.err.println("nuri cancel: " + kr.nuri.cli.client.Text.printable(id + ": " + e.getMessage()));
                failed++;
            }
        }
        return failed == 0 ? 0 : 1;
    }
}
