package io.orderpipeline.processor.validation;

/**
 * Limits that hold for every instrument.
 *
 * @param maxQuantity the largest quantity one order may have
 */
public record ValidationRules(long maxQuantity) {

    public ValidationRules {
        if (maxQuantity < 1) {
            throw new IllegalArgumentException("maxQuantity must be >= 1: " + maxQuantity);
        }
    }

    public static ValidationRules defaults() {
        return new ValidationRules(1_000_000L);
    }
}
