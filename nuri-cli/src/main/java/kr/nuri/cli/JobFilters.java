package kr.nuri.cli;

import picocli.CommandLine.Option;

/** The filters {@code nuri queue} and {@code nuri history} share: a tenant's subtree, a user, how many. */
final class JobFilters {
    @Option(names = {"-A", "--tenant", "--account"}, description = "Only this tenant's subtree.")
    String tenant;

    @Option(names = {"-u", "--user"}, description = "Only this user's jobs.")
    String user;

    @Option(names = {"-n", "--limit"}, defaultValue = "100", description = "At most this many jobs (default: ${DEFAULT-VALUE}).")
    int limit;
}
