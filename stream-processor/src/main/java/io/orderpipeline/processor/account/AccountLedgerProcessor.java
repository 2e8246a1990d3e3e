package io.orderpipeline.processor.account;

import io.orderpipeline.processor.validation.RejectionReason;
import io.orderpipeline.schemas.avro.AccountDecision;
import io.orderpipeline.schemas.avro.AccountExposure;
import io.orderpipeline.schemas.avro.AccountRequest;
import io.orderpipeline.schemas.avro.AccountRequestType;
import io.orderpipeline.schemas.avro.AccountReservation;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account ledger: runs on {@code orders.accounts.requests}, partitioned by accountId, so every order of an account
 * meets the same store shard (orders themselves are partitioned by orderId and could not see each other).
 *
 * <p>RESERVE admits an order unless its clientOrderId is taken by another order of the account or its notional would
 * take the account above its limit; an admitted order holds a reservation until RELEASE. Both are idempotent: a
 * repeated RESERVE of an admitted order is admitted again without reserving twice, a RELEASE without reservation does
 * nothing. ClientOrderIds stay taken after the order ends (they identify an order for the life of the account).
 *
 * <p>Stores: {@value #CLIENT_ORDERS_STORE} (account and clientOrderId {@code -> orderId}), {@value #RESERVATIONS_STORE}
 * (account and orderId {@code -> reservation}), {@value #EXPOSURE_STORE} ({@code accountId -> open notional}); all
 * changelogged, so a restart keeps them.
 */
public final class AccountLedgerProcessor implements Processor<String, AccountRequest, String, AccountDecision> {

    public static final String CLIENT_ORDERS_STORE = "account-client-orders";
    public static final String RESERVATIONS_STORE = "account-reservations";
    public static final String EXPOSURE_STORE = "account-exposure";

    private static final Logger log = LoggerFactory.getLogger(AccountLedgerProcessor.class);
    private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(6);

    private final AccountLimits limits;
    private final Clock clock;
    private ProcessorContext<String, AccountDecision> context;
    private KeyValueStore<String, String> clientOrders;
    private KeyValueStore<String, AccountReservation> reservations;
    private KeyValueStore<String, AccountExposure> exposures;

    public AccountLedgerProcessor(AccountLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void init(ProcessorContext<String, AccountDecision> context) {
        this.context = context;
        this.clientOrders = context.getStateStore(CLIENT_ORDERS_STORE);
        this.reservations = context.getStateStore(RESERVATIONS_STORE);
        this.exposures = context.getStateStore(EXPOSURE_STORE);
    }

    @Override
    public void process(Record<String, AccountRequest> record) {
        AccountRequest request = Objects.requireNonNull(record.value(), "account request");
        if (request.getType() == AccountRequestType.RELEASE) {
            release(request);
        } else {
            reserve(request);
        }
    }

    private void reserve(AccountRequest request) {
        String accountId = request.getAccountId();
        String reservationKey = key(accountId, request.getOrderId());
        Instant now = clock.instant();
        AccountExposure exposure = exposure(accountId, now);
        if (reservations.get(reservationKey) != null) {
            decide(request, true, List.of(), exposure.getOpenNotional(), now);
            return;
        }
        List<String> reasons = new ArrayList<>();
        String clientKey = request.getClientOrderId() == null ? null : key(accountId, request.getClientOrderId());
        if (clientKey != null) {
            String holder = clientOrders.get(clientKey);
            if (holder != null && !holder.equals(request.getOrderId())) {
                reasons.add(RejectionReason.DUPLICATE_CLIENT_ORDER_ID.name());
            }
        }
        BigDecimal after = exposure.getOpenNotional().add(request.getNotional());
        if (after.compareTo(limits.limitFor(accountId)) > 0) {
            reasons.add(RejectionReason.ACCOUNT_LIMIT_EXCEEDED.name());
        }
        if (!reasons.isEmpty()) {
            log.info("account {} refuses order {}: {}", accountId, request.getOrderId(), reasons);
            decide(request, false, reasons, exposure.getOpenNotional(), now);
            return;
        }
        reservations.put(
                reservationKey,
                new AccountReservation(
                        request.getOrderId(), accountId, request.getClientOrderId(), request.getNotional(), now));
        if (clientKey != null) {
            clientOrders.put(clientKey, request.getOrderId());
        }
        exposures.put(accountId, new AccountExposure(accountId, after, exposure.getOpenOrders() + 1, now));
        decide(request, true, List.of(), after, now);
    }

    private void release(AccountRequest request) {
        String accountId = request.getAccountId();
        String reservationKey = key(accountId, request.getOrderId());
        AccountReservation reservation = reservations.get(reservationKey);
        if (reservation == null) {
            return;
        }
        Instant now = clock.instant();
        AccountExposure exposure = exposure(accountId, now);
        BigDecimal after =
                exposure.getOpenNotional().subtract(reservation.getNotional()).max(ZERO);
        reservations.delete(reservationKey);
        exposures.put(accountId, new AccountExposure(accountId, after, Math.max(exposure.getOpenOrders() - 1, 0), now));
    }

    private void decide(
            AccountRequest request, boolean accepted, List<String> reasons, BigDecimal openNotional, Instant now) {
        AccountDecision decision = new AccountDecision(
                request.getOrderId(),
                request.getAccountId(),
                accepted,
                reasons,
                openNotional,
                request.getCommandTopic(),
                request.getCommandPartition(),
                request.getCommandOffset(),
                now);
        context.forward(new Record<>(request.getOrderId(), decision, now.toEpochMilli()));
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
