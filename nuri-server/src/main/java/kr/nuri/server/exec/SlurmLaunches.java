package kr.nuri.server.exec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kr.nuri.config.SiteBackend;
import kr.nuri.core.job.Launch;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** A run as slurmrestd v0.0.38 takes it ({@code POST /job/submit}), and the tag that finds it again. */
final class SlurmLaunches {
    private static final String PATH = "/usr/local/bin:/usr/bin:/bin";
    private final SiteBackend site;
    private final JsonMapper json;

    SlurmLaunches(SiteBackend site, JsonMapper json) {
        this.site = site;
        this.json = json;
    }

    /** {@code nuri job=ID run=N epoch=E}: Nuri's job, its run, and its journal's epoch (the first start of its database, s). */
    record Tag(String jobId, int run, long epoch) {
        private static final Pattern FORM = Pattern.compile("nuri job=(\\S+) run=(\\d{1,9}) epoch=(\\d{1,19})");

        static Tag parse(String comment) {
            Matcher m = comment == null ? null : FORM.matcher(comment);
            return m == null || !m.matches() ? null : new Tag(m.group(1), Integer.parseInt(m.group(2)), Long.parseLong(m.group(3)));
        }

        @Override
        public String toString() { return "nuri job=" + jobId + " run=" + run + " epoch=" + epoch; }
    }

    /**
     * The submission: pinned to exactly the chosen nodes ({@code nodelist}, the node count), the GPUs on each, whole nodes
     * exclusive, never requeued by Slurm (Nuri decides requeues), with a time limit one minute past the walltime (Nuri
     * ends the run at its walltime; Slurm's limit is the backstop).
     */
    ObjectNode body(Dispatch d, long epoch) {
        ObjectNode root = json.createObjectNode();
        Launch l = d.launch();
        root.put("script", l != null ? l.script() : "#!/bin/sh\n# Nuri job " + d.jobId() + ": no script was given; the allocation is held\nexec sleep "
                + (d.runtime() > 0 ? d.runtime() : d.walltime()) + "\n");
        ObjectNode job = root.putObject("job");
        job.put("name", d.name() != null ? d.name() : "nuri-" + d.jobId());
        job.put("partition", site.partition());
        job.put("nodelist", String.join(",", d.nodes()));
        job.put("nodes", Integer.toString(d.nodes().size()));
        int total = 0;
        boolean even = true;
        for (int g : d.gpus()) {
            total += g;
            even &= g == d.gpus()[0];
        }
        if (total > 0 && even) job.put("gpus_per_node", Integer.toString(d.gpus()[0]));
        else if (total > 0) job.put("gpus", Integer.toString(total));
        if (d.exclusive()) job.put("exclusive", "exclusive");
        job.put("no_requeue", true);
        if (site.priority() > 0) job.put("priority", site.priority());
        job.put("comment", new Tag(d.jobId(), d.run(), epoch).toString());
        job.put("time_limit", (d.walltime() + 59) / 60 + 1);
        job.put("current_working_directory", l != null && l.workdir() != null ? l.workdir() : "/tmp");
        if (l != null && l.stdout() != null) job.put("standard_output", l.stdout());
        if (l != null && l.stderr() != null) job.put("standard_error", l.stderr());
        ObjectNode env = job.putObject("environment");
        env.put("PATH", PATH);
        if (l != null) l.environment().forEach(env::put);
        env.put("NURI_JOB_ID", d.jobId());
        env.put("NURI_RUN", Integer.toString(d.run()));
        if (d.user() != null) env.put("NURI_USER", d.user());
        return root;
    }
}
