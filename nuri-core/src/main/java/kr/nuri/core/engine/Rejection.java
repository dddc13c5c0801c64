package kr.nuri.core.engine;

/**
 * Why a command was refused: a stable code, the field at fault, its value, and a message that ends with a
 * hint. Nothing changed.
 */
public record Rejection(Code code, String field, String value, String message) {

    /** Machine-readable rejection codes. */
    public enum Code {
        INVALID_VALUE, UNKNOWN_PROJECT, NOT_A_PROJECT, UNKNOWN_TENANT, UNKNOWN_GPU_MODEL, UNKNOWN_PRIORITY_CLASS,
        UNKNOWN_AWARD, AWARD_NOT_FOR_PROJECT, UNKNOWN_JOB, DUPLICATE_JOB, DUPLICATE_AWARD, UNKNOWN_NODE,
        GANG_TOO_LARGE, WALLTIME_TOO_LONG, JOB_NOT_RUNNING, JOB_ALREADY_FINISHED, TIME_WENT_BACKWARDS,
        CLASS_NOT_ALLOWED, AWARD_REQUIRED, BUDGET_EXHAUSTED, TENANT_RETIRED
    }

    static Rejection of(Code code, String field, Object value, String message) {
        return new Rejection(code, field, String.valueOf(value), message);
    }
}
