package io.orderpipeline.bench.ingest;

/**
 * The search for the highest rate that meets a service level, as pure logic: start at a guess; while steps fail,
 * go down by 20 %; once one has passed, go up by 10 % from the best pass until a step fails or the steps run out.
 */
final class RateSearch {

    private final int maxSteps;
    private double next;
    private int steps;
    private double best = Double.NaN;
    private double lowestFail = Double.POSITIVE_INFINITY;
    private boolean done;

    RateSearch(double start, int maxSteps) {
        this.next = start;
        this.maxSteps = maxSteps;
    }

    boolean hasNext() {
        return !done && steps < maxSteps;
    }

    double next() {
        return next;
    }

    void result(boolean pass) {
        steps++;
        if (pass) {
            best = Double.isNaN(best) ? next : Math.max(best, next);
            double up = best * 1.1;
            if (up >= lowestFail * 0.999) {
                done = true; // the next step up is a rate that already failed
            } else {
                next = up;
            }
        } else {
            lowestFail = Math.min(lowestFail, next);
            if (!Double.isNaN(best)) {
                done = true; // passed below, failed just above: best is within 10 %
            } else {
                next = next * 0.8;
            }
        }
    }

    /** Highest passing rate, NaN if none passed. */
    double best() {
        return best;
    }
}
