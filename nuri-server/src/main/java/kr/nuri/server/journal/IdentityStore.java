package kr.nuri.server.journal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Named sets of {@link FleetIdentity} in the store: {@code format1} (what old journal rows' positions mean) and {@code last}. */
public final class IdentityStore {
    public static final String FORMAT1 = "format1";
    public static final String LAST = "last";
    private final Database db;

    public IdentityStore(Database db) {
        this.db = db;
    }

    /** The identity stored under {@code set}, or null when none is. */
    public FleetIdentity load(String set) {
        Map<FleetIdentity.Kind, List<String>> names = new EnumMap<>(FleetIdentity.Kind.class);
        for (FleetIdentity.Kind k : FleetIdentity.Kind.values()) names.put(k, new ArrayList<>());
        boolean[] any = {false};
        db.jdbi().useHandle(h -> h.createQuery("SELECT kind, name FROM fleet_identity WHERE name_set = :s ORDER BY kind, pos")
                .bind("s", set).map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).forEach(r -> {
                    names.get(FleetIdentity.Kind.valueOf(r[0].toUpperCase(java.util.Locale.ROOT))).add(r[1]);
                    any[0] = true;
                }));
        if (!any[0]) return null;
        return new FleetIdentity(names.get(FleetIdentity.Kind.MODEL), names.get(FleetIdentity.Kind.NODE), names.get(FleetIdentity.Kind.TENANT));
    }

    /** Replaces the identity stored under {@code set}. */
    public void save(String set, FleetIdentity identity) {
        db.jdbi().useTransaction(h -> {
            h.createUpdate("DELETE FROM fleet_identity WHERE name_set = :s").bind("s", set).execute();
            var batch = h.prepareBatch("INSERT INTO fleet_identity (name_set, kind, pos, name) VALUES (:s, :k, :p, :n)");
            for (FleetIdentity.Kind k : FleetIdentity.Kind.values()) {
                List<String> names = identity.names(k);
                for (int i = 0; i < names.size(); i++) batch.bind("s", set).bind("k", k.stored()).bind("p", i).bind("n", names.get(i)).add();
            }
            batch.execute();
        });
    }
}
