package kr.nuri.cli;

import kr.nuri.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code nuri} command. */
@Command(name = "nuri", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Nuri: allocation, scheduling and metering for a national GPU fleet.",
        subcommands = {ServeCommand.class, SimulateCommand.class, SubmitCommand.class, QueueCommand.class, CancelCommand.class, JobVerbs.Hold.class, JobVerbs.Release.class, JobVerbs.Requeue.class, UpdateCommand.class, HistoryCommand.class, DrainCommand.Drain.class, DrainCommand.Resume.class, ShowCommand.class, AuditCommand.class, TokensCommand.class, NodesCommand.class, UsageCommand.class, QuotaCommand.class, TenantsCommand.class, AwardsCommand.class, FleetCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.getSubcommands().get("simulate").getCommandSpec().usageMessage().footer(SimulateCommand.experimentsHelp());
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof ConfigException || ex instanceof IllegalArgumentException || ex instanceof kr.nuri.sim.trace.TraceException) {
                line.getErr().println("nuri: " + kr.nuri.cli.client.Text.printable(ex.getMessage()));
                return 2;
            }
            if (ex instanceof java.io.UncheckedIOException io) { // a file that is not there or cannot be read
                String cause = io.getCause().getMessage();
                line.getErr().println("nuri: " + (io.getMessage().equals(io.getCause().toString()) ? cause : io.getMessage() + ": " + cause));
                return 2;
            }
            if (ex instanceof IllegalStateException) { // the environment, not the input: a database, a lock, a port
                line.getErr().println("nuri: " + kr.nuri.cli.client.Text.printable(ex.getMessage()));
                return 1;
            }
            throw ex;
        });
        return cli;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Prints the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"nuri " + (v == null ? "dev" : v) + " (Java " + Runtime.version() + ")"};
        }
    }
}
