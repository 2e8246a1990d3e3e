package io.orderpipeline.bench.sustained;

/**
 * The search for the highest sustained rate when every step is expensive (a 30 s window): step up by {@code up}
 * while steps pass, down by {@code down} while they fail, and once a pass lies below a fail, bisect between them
 * (geometrically) until they are within {@code precision} of each other or the steps run out. Rates stay within
 * {@code [floor, ceiling]}; the search ends early when it would leave them (every step failed down to the floor, or
 * the ceiling passed). Pure logic: the caller runs the steps.
 */
final class BracketSearch {

    private final double floor;
    private final double ceiling;
    private final double up;
    private final double down;
    private final double precision;
    private final int maxSteps;
    private double next;
    private double best = Double.NaN;
    private double lowestFail = Double.NaN;
    private int steps;
    private boolean done;

    /**
     * @param start the first rate tried (clamped to {@code [floor, ceiling]})
     * @param up factor after a pass with no fail above it, e.g. 1.5
     * @param down factor after a fail with no pass below it, e.g. 0.6
     * @param precision stop when lowest fail / best pass is at most this, e.g. 1.1
     */
    BracketSearch(double start, double floor, double ceiling, double up, double down, double precision, int maxSteps) {
        if (!(floor > 0 && ceiling >= floor && up > 1 && down > 0 && down < 1 && precision > 1)) {
            throw new IllegalArgumentException("bad search bounds");
        }
        this.floor = floor;
        this.ceiling = ceiling;
        this.up = up;
        this.down = down;
        this.precision = precision;
        this.maxSteps = maxSteps;
        this.next = Math.min(ceiling, Math.max(floor, start));
    }

    boolean hasNext() {
        return !done && steps < maxSteps;
    }

    /** The rate of the next step. */
    double next() {
        return next;
    }

    /** Records the outcome of the step at {@link #next()} and chooses the one after it. */
    void result(boolean pass) {
        double rate = next;
        steps++;
        if (pass) {
            best = Double.isNaN(best) ? rate : Math.max(best, rate);
        } else {
            lowestFail = Double.isNaN(lowestFail) ? rate : Math.min(lowestFail, rate);
        }
        if (!Double.isNaN(best) && !Double.isNaN(lowestFail)) {
            if (lowestFail / best <= precision) {
                done = true;
            } else {
                next = Math.sqrt(best * lowestFail);
            }
        } else if (pass) {
            if (rate >= ceiling) {
                done = true; // the ceiling itself held
            } else {
                next = Math.min(ceiling, rate * up);
            }
        } else {
            if (rate <= floor) {
                done = true; // nothing held, down to the floor
            } else {
                next = Math.max(floor, rate * down);
            }
        }
    }

    /** Highest passing rate, NaN if none passed. */
    double best() {
        return best;
    }

    /** Lowest failing rate, NaN if none failed. */
    double lowestFail() {
        return lowestFail;
    }
}
