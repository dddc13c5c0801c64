package kr.nuri.cli;

import picocli.CommandLine.Command;

/** {@code nuri cancel}: cancel jobs (like scancel). */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel jobs (like scancel).")
final class CancelCommand extends JobVerbs {
    String verb() { return "cancel"; }
    String done() { return "cancelled"; }
}
