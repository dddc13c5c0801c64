package kr.nuri.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import kr.nuri.cli.client.Connection;
import kr.nuri.cli.client.SlurmTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code nuri submit}: queue a job, with sbatch's option names. */
@Command(name = "submit", mixinStandardHelpOptions = true, description = "Submit a job (like sbatch).")
final class SubmitCommand implements Callable<Integer> {
    @Mixin Connection connection;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = {"-A", "--project", "--account"}, description = "Project (a leaf of the quota tree). Required, here or in the script.")
    String project;

    @Option(names = {"-G", "--gpus"}, description = "Total GPUs of the gang.")
    Integer gpus;

    @Option(names = {"-N", "--nodes"}, description = "Nodes (gang members).")
    Integer nodes;

    @Option(names = "--gpus-per-node", description = "GPUs on each node.")
    Integer gpusPerNode;

    @Option(names = {"--gpu-model", "--constraint"}, split = ",", description = "Allowed GPU model(s), e.g. H100 or B200,H200.")
    java.util.List<String> models;

    @Option(names = {"-t", "--time"}, description = "Walltime: minutes, HH:MM:SS or D-HH:MM:SS (default: the class's).")
    String time;

    @Option(names = "--topology", description = "Keep the gang inside one node, rack, block or site.")
    String topology;

    @Option(names = "--topology-preferred", description = "Treat --topology as a preference, not a requirement.")
    boolean preferred;

    @Option(names = {"-p", "--priority", "--qos"}, description = "Priority class (e.g. inference, training, scavenger).")
    String priority;

    @Option(names = "--award", description = "Award to charge.")
    String award;

    @Option(names = {"-J", "--job-name"}, description = "A name for the job (free, not unique; the server gives its id).")
    String name;

    @Option(names = "--runtime", description = "Virtual execution: the job completes after this time (same formats as --time).")
    String runtime;

    @Option(names = "--preemptible", negatable = true, description = "Whether the job may be preempted (default: the class's).")
    Boolean preemptible;

    @Option(names = "--no-requeue", description = "Fail rather than requeue after preemption or node failure.")
    boolean noRequeue;

    @Option(names = "--gpu-milli", description = "A share of one GPU, in thousandths (1-999; with --gpus 1), as GPU-sharing pods ask.")
    Integer gpuMilli;

    @Option(names = {"-c", "--cpus-per-task"}, description = "CPU cores the job needs on its node (checked where the fleet models CPU).")
    Double cpus;

    @Option(names = "--mem", description = "Memory on its node: MiB, or with a K/M/G/T suffix (e.g. 64G).")
    String memory;

    @picocli.CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "SCRIPT",
            description = "A batch script to run where the job is placed (a site with a cluster manager), as sbatch takes it: its "
                    + "#SBATCH lines are read as options, and options given here win.")
    java.nio.file.Path script;

    @Option(names = "--wrap", description = "Run this command (sh) instead of a script file: #!/bin/sh, then the command.")
    String wrap;

    @Option(names = {"-D", "--chdir"}, description = "Working directory of the script on the site's nodes (absolute).")
    String chdir;

    @Option(names = {"-o", "--output"}, description = "Standard output file on the site's nodes (Slurm's %%j etc. allowed).")
    String output;

    @Option(names = {"-e", "--error"}, description = "Standard error file (default: with standard output).")
    String error;

    @Option(names = "--export", description = "Environment the script gets: NONE (the default here), ALL (this shell's, less "
            + "NURI_TOKEN), or NAME[=value],… (sbatch exports ALL by default; Nuri journals what it is sent, so it asks).")
    String export;

    /** Options from the script's #SBATCH lines were applied (this is the second parse). */
    boolean directivesApplied;

    @Override
    public Integer call() {
        if (script != null && wrap != null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a SCRIPT or --wrap, not both");
        String text = script == null ? null : readScript(script);
        if (text != null && !directivesApplied) {
            java.util.List<String> directives = SbatchDirectives.read(text, spec, System.err);
            if (!directives.isEmpty()) {
                return withDirectives(directives, spec.commandLine().getParseResult().originalArgs()).call();
            }
        }
        if (project == null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--project=<project>' "
                + "(or #SBATCH -A in the script)");
        Map<String, Object> body = new LinkedHashMap<>();
        if (text != null || wrap != null) {
            body.put("script", text != null ? text : "#!/bin/sh\n" + wrap + "\n");
            if (chdir != null) body.put("workdir", chdir);
            if (output != null) body.put("output", output);
            if (error != null) body.put("error", error);
            Map<String, String> env = environment();
            if (!env.isEmpty()) body.put("environment", env);
        } else if (chdir != null || output != null || error != null || export != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--chdir, --output, --error and --export are for a job "
                    + "that runs something: give a SCRIPT or --wrap");
        }
        if (gpuMilli != null) body.put("gpuMilli", gpuMilli);
        if (cpus != null) {
            if (!(cpus >= 0) || cpus > 1_000_000) throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--cpus-per-task " + cpus + ": must be 0 or more cores, e.g. 4 or 0.5");
            body.put("cpuMilli", Math.round(cpus * 1000));
        }
        if (memory != null) body.put("memoryMib", mebibytes(memory));
        body.put("project", project);
        if (name != null) body.put("name", name);
        if (gpus != null) body.put("gpus", gpus);
        if (nodes != null) body.put("nodes", nodes);
        if (gpusPerNode != null) body.put("gpusPerNode", gpusPerNode);
        if (models != null) body.put("gpuModels", models);
        if (time != null) body.put("walltime", SlurmTime.seconds(time));
        if (runtime != null) body.put("runtime", SlurmTime.seconds(runtime));
        if (topology != null) body.put("topology", topology);
        if (preferred) body.put("topologyRequired", false);
        if (priority != null) body.put("priority", priority);
        if (award != null) body.put("award", award);
        if (preemptible != null) body.put("preemptible", preemptible);
        if (noRequeue) body.put("requeue", false);
        JsonNode job = connection.client().post("/api/v1/jobs", body);
        String state = job.path("state").asString();
        System.out.printf("Submitted job %s (%s%s)%n", kr.nuri.cli.client.Text.printable(job.path("id").asString()), state,
                state.equals("PENDING") ? ": " + job.path("pendingReason").asString() : " on " + job.path("nodes").asInt() + " " + job.path("model").asString() + " nodes");
        return 0;
    }

    /** The script's directives first, then the command line's options, which win (a later option overwrites an earlier one). */
    static SubmitCommand withDirectives(java.util.List<String> directives, java.util.List<String> commandLine) {
        java.util.List<String> args = new java.util.ArrayList<>(directives);
        args.addAll(commandLine);
        SubmitCommand again = new SubmitCommand();
        new picocli.CommandLine(again).setOverwrittenOptionsAllowed(true).parseArgs(args.toArray(String[]::new));
        again.directivesApplied = true;
        return again;
    }

    private String readScript(java.nio.file.Path file) {
        try {
            if (java.nio.file.Files.size(file) > 512 * 1024) throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    file + ": a script may have at most 512 KiB");
            return java.nio.file.Files.readString(file);
        } catch (java.io.IOException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "cannot read the script " + file + ": " + e.getMessage());
        }
    }

    /** What --export asks for (sbatch's forms; NONE by default here). */
    Map<String, String> environment() {
        Map<String, String> env = new java.util.TreeMap<>();
        if (export == null || export.equalsIgnoreCase("NONE")) return env;
        for (String item : export.split(",")) {
            if (item.isBlank()) continue;
            if (item.equalsIgnoreCase("ALL")) {
                env.putAll(System.getenv());
                env.remove("NURI_TOKEN");
            } else if (item.equalsIgnoreCase("NONE")) {
                env.clear();
            } else {
                int eq = item.indexOf('=');
                String k = eq < 0 ? item : item.substring(0, eq);
                String v = eq < 0 ? System.getenv(k) : item.substring(eq + 1);
                if (v != null) env.put(k, v);
            }
        }
        return env;
    }

    /** Slurm's --mem: a number of MiB, or with a K, M, G or T suffix (K rounds up to whole MiB). */
    long mebibytes(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        int shift = 10; // in KiB
        if (!t.isEmpty() && "KMGT".indexOf(t.charAt(t.length() - 1)) >= 0) {
            shift = 10 * "KMGT".indexOf(t.charAt(t.length() - 1));
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t);
            if (v < 0) throw new NumberFormatException();
            long kib = Math.multiplyExact(v, 1L << shift);
            return kib / 1024 + (kib % 1024 == 0 ? 0 : 1);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--mem " + text + ": give MiB, or a size like 512M, 64G or 1T");
        }
    }
}
