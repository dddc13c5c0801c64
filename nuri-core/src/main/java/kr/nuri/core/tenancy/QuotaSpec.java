package kr.nuri.core.tenancy;

/**
 * A tenant's quota for one GPU model.
 *
 * @param nominal        GPUs guaranteed to the tenant's subtree
 * @param borrowingLimit how many GPUs beyond its quota it may borrow from idle capacity; -1 = no limit
 * @param lendingLimit   how many of its unused GPUs it lends to others; -1 = all of them
 */
public record QuotaSpec(String model, int nominal, int borrowingLimit, int lendingLimit) {
    public static final int UNLIMITED = -1;

    public QuotaSpec {
        if (model == null || model.isBlank()) throw new IllegalArgumentException("quota model is empty");
        if (nominal < 0) throw new IllegalArgumentException("quota for " + model + " nominal=" + nominal + ". Maybe 0 or more?");
        if (borrowingLimit < UNLIMITED) {
            throw new IllegalArgumentException("quota for " + model + " borrowingLimit=" + borrowingLimit + ". Maybe 0 or more, or -1 for no limit?");
        }
        if (lendingLimit < UNLIMITED) {
            throw new IllegalArgumentException("quota for " + model + " lendingLimit=" + lendingLimit + ". Maybe 0 or more, or -1 for no limit?");
        }
    }

    /** Its values as the audit trail shows them: {@code nominal=64 borrowingLimit=-1 lendingLimit=-1}. */
    public String text() {
        return "nominal=" + nominal + " borrowingLimit=" + borrowingLimit + " lendingLimit=" + lendingLimit;
    }
}
