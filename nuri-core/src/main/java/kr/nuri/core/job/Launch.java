package kr.nuri.core.job;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a site's cluster manager runs for a job, as {@code sbatch} takes it: a batch script (its first line an
 * interpreter, {@code #!/bin/bash}), the working directory, the environment, and where standard output and error go
 * (Slurm's patterns, such as {@code %j}, allowed). The engine carries it and never reads it; a virtual site ignores it.
 *
 * @param workdir absolute path; null = the submitting user's home as the site sees it
 * @param stdout  absolute, or relative to {@code workdir}; null = the site's default ({@code slurm-%j.out})
 * @param stderr  as {@code stdout}; null = with standard output
 */
public record Launch(String script, String workdir, Map<String, String> environment, String stdout, String stderr) {
    public Launch {
        if (script == null || script.isEmpty()) throw new IllegalArgumentException("a launch needs a script");
        environment = environment == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
    }
}
