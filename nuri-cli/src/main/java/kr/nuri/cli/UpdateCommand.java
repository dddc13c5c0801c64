package kr.nuri.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.Query;
import kr.nuri.cli.client.SlurmTime;
import kr.nuri.cli.client.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code nuri update job ID --time T} (like scontrol update TimeLimit): users shorten a walltime, operators also lengthen it. */
@Command(name = "update", mixinStandardHelpOptions = true,
        description = "Change a job's walltime: nuri update job ID --time T (Slurm's formats; users may shorten it, operators also lengthen it).")
final class UpdateCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @Parameters(index = "0", paramLabel = "job") String what;

    @Parameters(index = "1", paramLabel = "ID") String id;

    @Option(names = {"-t", "--time"}, required = true, paramLabel = "T", description = "The new walltime: minutes, MM:SS, HH:MM:SS, D-HH[:MM[:SS]].")
    String time;

    @Override
    public Integer call() {
        if (!what.equals("job")) throw new IllegalArgumentException("nuri update " + Text.printable(what) + ": maybe nuri update job ID --time T?");
        long seconds = SlurmTime.seconds(time);
        JsonNode j = connection.client().send("PATCH", "/api/v1/jobs/" + Query.encode(id), Map.of("walltime", seconds));
        System.out.println(Text.printable(j.path("id").asString()) + ": walltime " + SlurmTime.format(j.path("walltime").asLong()));
        return 0;
    }
}
