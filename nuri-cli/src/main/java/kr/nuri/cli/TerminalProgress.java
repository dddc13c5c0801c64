package kr.nuri.cli;

import java.io.Console;
import java.lang.reflect.Method;
import kr.nuri.sim.Progress;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar with ETA on standard error, or nothing when standard error is not a terminal (CI, pipes, files). */
final class TerminalProgress implements Progress, AutoCloseable {
    private ProgressBar bar;

    /** A bar when attached to a terminal, otherwise {@link Progress#NONE}. */
    static Progress create() {
        return isTerminal() ? new TerminalProgress() : NONE;
    }

    /** Console.isTerminal() exists from JDK 22; on 21 a console is only returned for a terminal. */
    static boolean isTerminal() {
        Console c = System.console();
        if (c == null) return false;
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (boolean) m.invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    @Override
    public synchronized void start(String task, long total) {
        close();
        bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250).build();
    }

    @Override
    public synchronized void advance(long done) {
        if (bar != null) bar.stepBy(done);
    }

    @Override
    public synchronized void close() {
        if (bar != null) bar.close();
        bar = null;
    }

    /** Closes the bar of a {@link #create()} result, if it is one. */
    static void close(Progress p) {
        if (p instanceof TerminalProgress t) t.close();
    }
}
