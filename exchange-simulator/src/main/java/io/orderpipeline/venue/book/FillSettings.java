package io.orderpipeline.venue.book;

import java.time.Duration;

/**
 * How the venue fills ({@code orders.venue.fill.*}).
 *
 * @param model {@code immediate}: a marketable order fills at once, in one execution at the market price; {@code
 *     partial}: in {@code minSlices..maxSlices} executions (at least 2), {@code sliceInterval} apart; {@code market}
 *     (the default): every symbol's price walks (seeded, mean-reverting to its reference) every {@code tickInterval}; a
 *     market order fills at the current price in {@code minSlices..maxSlices} executions; a limit order fills once the
 *     price reaches its limit (marketable at arrival: at once); a limit far from the market rests. In every model a
 *     limit order executes at the market price or better than its limit, and an admin price change re-checks the
 *     resting orders of that symbol
 * @param seed seed of the price walk, the slice counts and the injected faults
 * @param volatility standard deviation of one tick's price move, relative to the reference price
 */
public record FillSettings(
        FillModel model,
        long seed,
        int minSlices,
        int maxSlices,
        Duration sliceInterval,
        Duration tickInterval,
        double volatility) {

    public enum FillModel {
        IMMEDIATE,
        PARTIAL,
        MARKET
    }

    public FillSettings {
        if (minSlices < 1 || maxSlices < minSlices) {
            throw new IllegalArgumentException("need 1 <= min-slices <= max-slices");
        }
    }
}
