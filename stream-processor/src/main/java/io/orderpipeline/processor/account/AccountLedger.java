package io.orderpipeline.processor.account;

import io.orderpipeline.processor.validation.RejectionReason;
import io.orderpipeline.schemas.avro.AccountExposure;
import io.orderpipeline.schemas.avro.AccountReservation;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account ledger of one task: the write side is partitioned by account, so every order of an account meets the
 * same shard of these stores, in the same task and the same transaction as the order's state machine.
 *
 * <p>{@link #reserve} admits an order unless its clientOrderId is taken by another order of the account or its
 * notional would take the account above its limit; an admitted order holds a reservation until {@link #release}. Both
 * are idempotent: a repeated reserve of an admitted order is admitted again without reserving twice, a release without
 * reservation does nothing. {@link #adjust} changes what an open order holds (fills, partial cancels, amends). ClientOrderIds stay taken after the order ends (they identify an order for the life of the
 * account).
 *
 * <p>Stores: {@value #CLIENT_ORDERS_STORE} (account and clientOrderId {@code -> orderId}), {@value #RESERVATIONS_STORE}
 * (account and orderId {@code -> reservation}), {@value #EXPOSURE_STORE} ({@code accountId -> open notional}); all
 * changelogged, so a restart keeps them. Not thread-safe: one instance per task, used on its stream thread.
 */
public final class AccountLedger {

    public static final String CLIENT_ORDERS_STORE = "account-client-orders";
    public static final String RESERVATIONS_STORE = "account-reservations";
    public static final String EXPOSURE_STORE = "account-exposure";

    private static final Logger log = LoggerFactory.getLogger(AccountLedger.class);
    private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(6);

    private final AccountLimits limits;
    private final KeyValueStore<String, String> clientOrders;
    private final KeyValueStore<String, AccountReservation> reservations;
    private final KeyValueStore<String, AccountExposure> exposures;

    public AccountLedger(
            AccountLimits limits,
            KeyValueStore<String, String> clientOrders,
            KeyValueStore<String, AccountReservation> reservations,
            KeyValueStore<String, AccountExposure> exposures) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clientOrders = Objects.requireNonNull(clientOrders, "clientOrders");
        this.reservations = Objects.requireNonNull(reservations, "reservations");
        this.exposures = Objects.requireNonNull(exposures, "exposures");
    }

    /**
     * Reserves {@code notional} for the order, or says why not.
     *
     * @return the rejection reasons ({@link RejectionReason} names); empty when the order is admitted
     */
    public List<String> reserve(
            String accountId, String orderId, String clientOrderId, BigDecimal notional, Instant now) {
        String reservationKey = key(accountId, orderId);
        if (reservations.get(reservationKey) != null) {
            return List.of();
        }
        AccountExposure exposure = exposure(accountId, now);
        List<String> reasons = new ArrayList<>();
        String clientKey = clientOrderId == null ? null : key(accountId, clientOrderId);
        if (clientKey != null) {
            String holder = clientOrders.get(clientKey);
            if (holder != null && !holder.equals(orderId)) {
                reasons.add(RejectionReason.DUPLICATE_CLIENT_ORDER_ID.name());
            }
        }
        BigDecimal after = exposure.getOpenNotional().add(notional);
        if (after.compareTo(limits.limitFor(accountId)) > 0) {
            reasons.add(RejectionReason.ACCOUNT_LIMIT_EXCEEDED.name());
        }
        if (!reasons.isEmpty()) {
            log.info("account {} refuses order {}: {}", accountId, orderId, reasons);
            return List.copyOf(reasons);
        }
        reservations.put(reservationKey, new AccountReservation(orderId, accountId, clientOrderId, notional, now));
        if (clientKey != null) {
            clientOrders.put(clientKey, orderId);
        }
        exposures.put(accountId, new AccountExposure(accountId, after, exposure.getOpenOrders() + 1, now));
        return List.of();
    }

    /** Gives the order's reservation back to its account; nothing when it holds none. */
    public void release(String accountId, String orderId, Instant now) {
        String reservationKey = key(accountId, orderId);
        AccountReservation reservation = reservations.get(reservationKey);
        if (reservation == null) {
            return;
        }
        AccountExposure exposure = exposure(accountId, now);
        BigDecimal after =
                exposure.getOpenNotional().subtract(reservation.getNotional()).max(ZERO);
        reservations.delete(reservationKey);
        exposures.put(accountId, new AccountExposure(accountId, after, Math.max(exposure.getOpenOrders() - 1, 0), now));
    }

    /**
     * Sets the notional the order holds to {@code target}: less as fills and partial cancels arrive (open notional =
     * leaves x price), more or less with an amend. With {@code enforceLimit} an increase that would take the account
     * above its limit is refused and nothing changes. Nothing happens for an order without reservation (ended, or
     * never admitted). Idempotent: the same target twice changes nothing the second time.
     *
     * @return the rejection reasons; empty when the notional was set
     */
    public List<String> adjust(String accountId, String orderId, BigDecimal target, boolean enforceLimit, Instant now) {
        String reservationKey = key(accountId, orderId);
        AccountReservation reservation = reservations.get(reservationKey);
        if (reservation == null) {
            return List.of();
        }
        BigDecimal scaled = target.max(ZERO).setScale(6, RoundingMode.HALF_UP);
        BigDecimal delta = scaled.subtract(reservation.getNotional());
        if (delta.signum() == 0) {
            return List.of();
        }
        AccountExposure exposure = exposure(accountId, now);
        BigDecimal after = exposure.getOpenNotional().add(delta).max(ZERO);
        if (enforceLimit && delta.signum() > 0 && after.compareTo(limits.limitFor(accountId)) > 0) {
            log.info("account {} refuses {} more for order {}", accountId, delta, orderId);
            return List.of(RejectionReason.ACCOUNT_LIMIT_EXCEEDED.name());
        }
        reservations.put(
                reservationKey,
                new AccountReservation(
                        orderId, accountId, reservation.getClientOrderId(), scaled, reservation.getReservedAt()));
        exposures.put(accountId, new AccountExposure(accountId, after, exposure.getOpenOrders(), now));
        return List.of();
    }

    /** The notional the order holds now, or {@code null} when it holds none. */
    public BigDecimal reserved(String accountId, String orderId) {
        AccountReservation reservation = reservations.get(key(accountId, orderId));
        return reservation == null ? null : reservation.getNotional();
    }

    /** The account's open notional (zero for an account never seen). */
    public BigDecimal openNotional(String accountId) {
        AccountExposure exposure = exposures.get(accountId);
        return exposure != null ? exposure.getOpenNotional() : ZERO;
    }

    private AccountExposure exposure(String accountId, Instant now) {
        AccountExposure exposure = exposures.get(accountId);
        return exposure != null ? exposure : new AccountExposure(accountId, ZERO, 0, now);
    }

    /** The length prefix keeps keys unambiguous whatever characters the ids contain ("a|b"+"c" vs "a"+"b|c"). */
    static String key(String accountId, String id) {
        return accountId.length() + ":" + accountId + '|' + id;
    }
}
