package io.orderpipeline.venue.book;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The simulated market: one price per symbol, starting at its reference price, on a tick of 0.01. {@link #tick()}
 * moves every price by a seeded random step that pulls back towards its anchor, the reference price (so prices stay
 * inside the pipeline's price bands); {@link #set(String, BigDecimal)} lets an operator or a test put a price where it
 * wants, and makes it the anchor.
 */
public final class Market {

    /** The reference prices of the embedded run: the same as stream-processor's default instruments. */
    public static final Map<String, BigDecimal> REFERENCE_PRICES = referencePrices();

    private static final BigDecimal TICK = new BigDecimal("0.01");
    private static final double MEAN_REVERSION = 0.05;

    /** Where each walk pulls back to: the reference price, or the last price an operator set. */
    private final Map<String, BigDecimal> anchors = new ConcurrentHashMap<>();

    private final Map<String, BigDecimal> reference;
    private final Map<String, BigDecimal> prices = new ConcurrentHashMap<>();
    private final Random random;
    private final double volatility;

    public Market(Map<String, BigDecimal> reference, long seed, double volatility) {
        this.reference = Map.copyOf(reference);
        this.prices.putAll(reference);
        this.anchors.putAll(reference);
        this.random = new Random(seed);
        this.volatility = volatility;
    }

    public boolean known(String symbol) {
        return reference.containsKey(symbol);
    }

    public Optional<BigDecimal> price(String symbol) {
        return Optional.ofNullable(prices.get(symbol));
    }

    /** The current prices, by symbol in alphabetical order. */
    public Map<String, BigDecimal> prices() {
        return new TreeMap<>(prices);
    }

    public void set(String symbol, BigDecimal price) {
        if (!known(symbol)) {
            throw new IllegalArgumentException("unknown symbol " + symbol);
        }
        if (price.signum() <= 0) {
            throw new IllegalArgumentException("price must be > 0");
        }
        BigDecimal rounded = price.setScale(2, RoundingMode.HALF_UP);
        // the walk goes on around the new level, so an order the operator meant to fill stays marketable
        anchors.put(symbol, rounded);
        prices.put(symbol, rounded);
    }

    /** One step of the walk for every symbol. */
    synchronized void tick() {
        anchors.forEach((symbol, anchor) -> {
            double current = prices.get(symbol).doubleValue();
            double base = anchor.doubleValue();
            double next = current + MEAN_REVERSION * (base - current) + volatility * base * random.nextGaussian();
            BigDecimal rounded = BigDecimal.valueOf(Math.max(next, TICK.doubleValue()))
                    .divide(TICK, 0, RoundingMode.HALF_UP)
                    .multiply(TICK);
            prices.put(symbol, rounded.setScale(2, RoundingMode.HALF_UP));
        });
    }

    private static Map<String, BigDecimal> referencePrices() {
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        prices.put("AAPL", new BigDecimal("190.00"));
        prices.put("MSFT", new BigDecimal("420.00"));
        prices.put("GOOGL", new BigDecimal("170.00"));
        prices.put("AMZN", new BigDecimal("185.00"));
        prices.put("NVDA", new BigDecimal("120.00"));
        return Collections.unmodifiableMap(prices);
    }
}
