package io.orderpipeline.processor.validation;

import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The checks that need only the order and its instrument (the GlobalKTable side of validation). Checks that need the
 * account's other orders (duplicate clientOrderId, open notional) run in the account ledger. Every failed check adds a
 * reason, so a client learns all of them at once.
 */
public final class OrderValidator {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private final ValidationRules rules;

    public OrderValidator(ValidationRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /**
     * @param instrument the instrument of {@code command.symbol}, or {@code null} if there is none
     * @return the reasons to reject, empty if the order passes
     */
    public List<String> validate(OrderCommand command, Instrument instrument) {
        List<String> reasons = new ArrayList<>();
        if (instrument == null) {
            reasons.add(RejectionReason.UNKNOWN_SYMBOL.name());
        } else if (!instrument.getTradable()) {
            reasons.add(RejectionReason.INSTRUMENT_NOT_TRADABLE.name());
        }
        checkQuantity(command.getQuantity(), instrument, reasons);
        BigDecimal price = command.getPrice();
        if (command.getOrderType() == OrderType.LIMIT) {
            if (price == null) {
                reasons.add(RejectionReason.PRICE_REQUIRED.name());
            } else {
                checkLimitPrice(price, instrument, reasons);
            }
        } else if (price != null) {
            reasons.add(RejectionReason.PRICE_NOT_ALLOWED.name());
        }
        return reasons;
    }

    /** Adds the reasons why {@code quantity} is not a valid order quantity (positive, at most the max, whole lots). */
    public void checkQuantity(long quantity, Instrument instrument, List<String> reasons) {
        if (quantity <= 0) {
            reasons.add(RejectionReason.QUANTITY_NOT_POSITIVE.name());
        } else if (quantity > rules.maxQuantity()) {
            reasons.add(RejectionReason.QUANTITY_TOO_LARGE.name());
        } else if (instrument != null && instrument.getLotSize() > 0 && quantity % instrument.getLotSize() != 0) {
            reasons.add(RejectionReason.QUANTITY_NOT_LOT_MULTIPLE.name());
        }
    }

    /** Adds the reasons why {@code price} is not a valid limit price (positive, on tick, within the band). */
    public void checkLimitPrice(BigDecimal price, Instrument instrument, List<String> reasons) {
        if (price.signum() <= 0) {
            reasons.add(RejectionReason.PRICE_NOT_POSITIVE.name());
        } else if (instrument != null) {
            checkPrice(price, instrument, reasons);
        }
    }

    /**
     * The notional the order reserves against its account: quantity times the limit price, or times the instrument's
     * reference price for a MARKET order (its fill price is not known in advance). Scale 6, as on the wire.
     */
    public static BigDecimal notional(OrderCommand command, Instrument instrument) {
        BigDecimal price = command.getPrice() != null ? command.getPrice() : instrument.getReferencePrice();
        return price.multiply(BigDecimal.valueOf(command.getQuantity())).setScale(6, RoundingMode.HALF_UP);
    }

    private static void checkPrice(BigDecimal price, Instrument instrument, List<String> reasons) {
        BigDecimal tick = instrument.getTickSize();
        if (tick != null && tick.signum() > 0 && price.remainder(tick).signum() != 0) {
            reasons.add(RejectionReason.PRICE_NOT_ON_TICK.name());
        }
        BigDecimal reference = instrument.getReferencePrice();
        BigDecimal band = instrument.getPriceBandPercent();
        if (reference != null && band != null) {
            BigDecimal allowed = reference.multiply(band).divide(HUNDRED, 6, RoundingMode.HALF_UP);
            if (price.subtract(reference).abs().compareTo(allowed) > 0) {
                reasons.add(RejectionReason.PRICE_OUTSIDE_BAND.name());
            }
        }
    }
}
