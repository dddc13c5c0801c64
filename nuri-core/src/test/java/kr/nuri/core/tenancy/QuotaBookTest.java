package kr.nuri.core.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Kueue's hierarchical-cohort arithmetic on a two-tenant tree, numbers worked out by hand. */
class QuotaBookTest {
    // root → a (nominal 10, lends at most 4) and b (nominal 10, borrows at most 3); one GPU model.
    private final TenantTree tree = new TenantTree(List.of(
            new TenantSpec("root", null, 1, List.of()),
            new TenantSpec("a", "root", 1, List.of()),
            new TenantSpec("b", "root", 1, List.of())));
    private final QuotaBook book = new QuotaBook(tree, 1);
    private final int a = tree.index("a");
    private final int b = tree.index("b");

    QuotaBookTest() {
        book.set(a, 0, 10, QuotaSpec.UNLIMITED, 4);
        book.set(b, 0, 10, 3, QuotaSpec.UNLIMITED);
        book.recompute();
    }

    @Test
    void guaranteedIsWhatATenantDoesNotLend() {
        assertThat(book.guaranteed(a, 0)).isEqualTo(6);
        assertThat(book.guaranteed(b, 0)).isZero();
        assertThat(book.subtreeQuota(tree.index("root"), 0)).isEqualTo(4 + 10);
        assertThat(book.available(a, 0)).isEqualTo(6 + 14);
        assertThat(book.available(b, 0)).as("its 10 plus a borrowing limit of 3").isEqualTo(13);
    }

    @Test
    void borrowingUsesTheLenderUpToItsLendingLimit() {
        book.addUsage(b, 0, 13);
        assertThat(book.available(b, 0)).isZero();
        assertThat(book.borrowed(b, 0)).isEqualTo(3);
        assertThat(book.available(a, 0)).as("a keeps 6 guaranteed plus the 1 of its 4 lendable GPUs not lent").isEqualTo(7);
        assertThat(book.admits(a, 0, 7, false)).isTrue();
        assertThat(book.admits(a, 0, 8, true)).isFalse();
        book.addUsage(b, 0, -13);
        assertThat(book.available(a, 0)).isEqualTo(20);
    }

    @Test
    void aDedicatedAwardAddsToTheNominalQuota() {
        book.setExtra(b, 0, 5);
        book.recompute();
        assertThat(book.subtreeQuota(b, 0)).isEqualTo(15);
        assertThat(book.available(b, 0)).isEqualTo(18);
        assertThat(book.withinOwnQuota(b, 0, 15)).isTrue();
        assertThat(book.withinOwnQuota(b, 0, 16)).isFalse();
    }
}
