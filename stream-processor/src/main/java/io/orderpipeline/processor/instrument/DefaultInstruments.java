package io.orderpipeline.processor.instrument;

import io.orderpipeline.schemas.avro.Instrument;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The reference data the embedded run seeds into the compacted {@code instruments} topic: five US equities, tick 0.01,
 * lot 1, limit prices within 10% of a reference price. Writing them again on every start is harmless (same key, same
 * value, compacted topic).
 */
public final class DefaultInstruments {

    private DefaultInstruments() {}

    public static List<Instrument> all() {
        return List.of(
                instrument("AAPL", "190.00"),
                instrument("MSFT", "420.00"),
                instrument("GOOGL", "170.00"),
                instrument("AMZN", "185.00"),
                instrument("NVDA", "120.00"));
    }

    /** An instrument with tick 0.01, lot 1 and a 10% band around {@code referencePrice}. */
    public static Instrument instrument(String symbol, String referencePrice) {
        return new Instrument(symbol, money("0.01"), 1L, money(referencePrice), money("10"), true);
    }

    private static BigDecimal money(String value) {
        return new BigDecimal(value).setScale(6, RoundingMode.HALF_UP);
    }
}
