package kr.nuri.server.exec;

import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import kr.nuri.config.SiteBackend;
import kr.nuri.core.command.Command;
import kr.nuri.core.fleet.Fleet;
import kr.nuri.core.fleet.Health;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a site's cluster manager answers, and what follows when it does not. Out of contact the site is unknown, not
 * failed; after {@link #DRAIN_AFTER_MILLIS} (or the site's unknown timeout, if shorter) its nodes are drained with the reason
 * {@value #UNREACHABLE}, so that new jobs go elsewhere or wait rather than start where nothing can run them, while its running
 * jobs go on. With contact back, the nodes drained for that reason come back (also those a previous server drained).
 */
final class SiteContact {
    private static final Logger log = LoggerFactory.getLogger(SiteContact.class);
    /** The drain reason of a site's nodes while it is out of contact. */
    static final String UNREACHABLE = "site unreachable";
    /** How long out of contact before the site's nodes are drained. */
    private static final long DRAIN_AFTER_MILLIS = 30_000;
    private final SiteBackend site;
    private final LongSupplier clockMillis;
    private final SiteMetrics metrics;
    private volatile long lastContactMillis;
    private volatile boolean reachable = true;
    private volatile boolean drained;
    private volatile boolean first = true;

    SiteContact(SiteBackend site, LongSupplier clockMillis, SiteMetrics metrics) {
        this.site = site;
        this.clockMillis = clockMillis;
        this.metrics = metrics;
        this.lastContactMillis = clockMillis.getAsLong();
    }

    boolean reachable() { return reachable; }

    /** The site answered. */
    void answered(Feedback feedback) {
        lastContactMillis = clockMillis.getAsLong();
        metrics.contact(site.site(), lastContactMillis);
        if (!reachable) {
            reachable = true;
            log.info("site {}: Slurm answers again; reconciling", site.site());
        }
        if (drained || first) {
            drained = false;
            first = false;
            feedback.submit(session -> {
                var state = session.engine().state();
                for (int n : nodes(state.fleet())) {
                    String r = state.reason(n);
                    if (state.capacity().health(n) == Health.DRAIN && r != null && r.startsWith(UNREACHABLE)) {
                        String name = state.fleet().nodeName(n);
                        session.apply(t -> new Command.NodeUp(t, name));
                    }
                }
                return null;
            });
        }
    }

    /** The site did not answer; returns how long it has been out of contact (ms). */
    long silent(SlurmException e, Feedback feedback) {
        if (reachable) {
            reachable = false;
            metrics.unreachable(site.site());
            log.warn("site {}: Slurm unreachable, the site is unknown (its jobs are not ended before {} s): {}", site.site(),
                    site.unknownTimeout().toSeconds(), e.getMessage());
        }
        long out = clockMillis.getAsLong() - lastContactMillis;
        if (!drained && out >= Math.min(DRAIN_AFTER_MILLIS, site.unknownTimeout().toMillis())) {
            drained = true;
            String reason = NodeSync.clip(UNREACHABLE + " for " + out / 1000 + " s: " + e.getMessage());
            log.warn("site {}: draining its nodes while out of contact ({})", site.site(), reason);
            feedback.submit(session -> {
                var state = session.engine().state();
                for (int n : nodes(state.fleet())) {
                    if (state.capacity().health(n) == Health.UP) {
                        String name = state.fleet().nodeName(n);
                        session.apply(t -> new Command.DrainNode(t, name, reason));
                    }
                }
                return null;
            }).whenComplete((r, x) -> {
                if (x != null) drained = false;
            });
        }
        return out;
    }

    private int[] nodes(Fleet fleet) {
        return IntStream.range(0, fleet.nodeCount()).filter(n -> fleet.siteName(fleet.siteOfNode(n)).equals(site.site())).toArray();
    }
}
