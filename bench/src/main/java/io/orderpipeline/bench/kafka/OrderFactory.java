package io.orderpipeline.bench.kafka;

import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Makes orders that pass every validation rule, so that the happy path (PENDING -> PLACED) is what gets measured:
 * symbols and prices from the instruments the stack seeded (limit price = reference price, on the tick, inside the
 * band), quantities in whole lots, a fresh client order id per order and many accounts so that neither the duplicate
 * check nor the per-account notional limit ever fires. Ids carry a per-run prefix, so runs never collide.
 *
 * <p>Raw commands follow the write side's partitioning contract ({@link OrderRouting}): a PLACE is keyed by its
 * account id, and its order id carries the account's route, exactly as ingest-api writes them.
 */
public final class OrderFactory {

    /** A tradable instrument as the factory uses it. */
    public record Product(String symbol, BigDecimal price, long lotSize) {}

    private static final int ACCOUNTS = 2_000;

    private final String runId;
    private final List<Product> products;

    public OrderFactory(String runId, List<Product> products) {
        if (products.isEmpty()) {
            throw new IllegalArgumentException("no instruments");
        }
        this.runId = runId;
        this.products = List.copyOf(products);
    }

    /** Products from the seeded instruments topic (tradable ones, sorted by symbol). */
    public static List<Product> products(List<Instrument> instruments) {
        return instruments.stream()
                .filter(Instrument::getTradable)
                .sorted(Comparator.comparing(Instrument::getSymbol))
                .map(i -> new Product(
                        i.getSymbol(), onTick(i.getReferencePrice(), i.getTickSize()), Math.max(1, i.getLotSize())))
                .toList();
    }

    /** The instruments docs/ARCHITECTURE.md promises, for when the topic cannot be read (prices are a guess). */
    public static List<Product> fallbackProducts() {
        return List.of(
                new Product("AAPL", new BigDecimal("190.00"), 1),
                new Product("AMZN", new BigDecimal("180.00"), 1),
                new Product("GOOGL", new BigDecimal("170.00"), 1),
                new Product("MSFT", new BigDecimal("420.00"), 1),
                new Product("NVDA", new BigDecimal("120.00"), 1));
    }

    private static BigDecimal onTick(BigDecimal price, BigDecimal tick) {
        if (tick == null || tick.signum() <= 0) {
            return price.stripTrailingZeros();
        }
        BigDecimal ticks = price.divide(tick, 0, RoundingMode.HALF_UP);
        return ticks.multiply(tick).stripTrailingZeros();
    }

    public String runId() {
        return runId;
    }

    public List<Product> products() {
        return products;
    }

    Product product(long seq) {
        return products.get((int) Math.floorMod(seq, (long) products.size()));
    }

    /** The account of order {@code seq} (2,000 accounts per run). */
    public String account(long seq) {
        return runId + "-acc-" + Math.floorMod(seq * 7919, ACCOUNTS);
    }

    long quantity(long seq) {
        return product(seq).lotSize() * (1 + Math.floorMod(seq, 5L));
    }

    /** JSON body of POST /orders number {@code seq}; a LIMIT order at the reference price. */
    public byte[] postBody(String tag, long seq) {
        return postBody(tag, seq, account(seq));
    }

    /** JSON body of POST /orders number {@code seq} for {@code accountId} (a principal's own account). */
    public byte[] postBody(String tag, long seq, String accountId) {
        Product p = product(seq);
        return ("{\"accountId\":\"" + accountId + "\",\"clientOrderId\":\"" + runId + "-" + tag + "-" + seq
                        + "\",\"symbol\":\"" + p.symbol() + "\",\"side\":\"" + (seq % 2 == 0 ? "BUY" : "SELL")
                        + "\",\"orderType\":\"LIMIT\",\"quantity\":" + quantity(seq) + ",\"price\":\""
                        + p.price().toPlainString() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** JSON body of {@code POST /orders/batch}: an array of the bodies of orders {@code firstSeq .. firstSeq+n-1}. */
    public byte[] batchBody(String tag, long firstSeq, int n) {
        StringBuilder json = new StringBuilder(n * 200).append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append(new String(postBody(tag, firstSeq + i), StandardCharsets.UTF_8));
        }
        return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What every client order id made with {@code tag} starts with (to recognise a phase's orders downstream). */
    public String clientOrderIdPrefix(String tag) {
        return runId + "-" + tag + "-";
    }

    /** A new order id in ingest-api's style (time-ordered UUID, version 7), routed to the account of {@code seq}. */
    public String orderId(long seq) {
        return routedOrderId(account(seq));
    }

    /** A time-ordered (version 7) UUID whose low 32 bits are {@code accountId}'s route ({@link OrderRouting#route}). */
    public static String routedOrderId(String accountId) {
        long millis = System.currentTimeMillis();
        UUID random = UUID.randomUUID();
        long msb = (millis << 16) | 0x7000L | (random.getMostSignificantBits() & 0x0FFFL);
        long lsb = (random.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return OrderRouting.route(new UUID(msb, lsb), accountId).toString();
    }

    /** PLACE command {@code seq} as ingest-api writes it to {@code topic}: keyed by its account, with a routed id. */
    public ProducerRecord<String, OrderCommand> placeRecord(String topic, String tag, long seq, Instant now) {
        OrderCommand command = placeCommand(tag, seq, orderId(seq), now);
        return new ProducerRecord<>(topic, command.getAccountId(), command);
    }

    /** The PLACE command ingest-api would write for order {@code seq}; {@code orderId} should be {@link #orderId}. */
    public OrderCommand placeCommand(String tag, long seq, String orderId, Instant now) {
        Product p = product(seq);
        return OrderCommand.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setType(CommandType.PLACE)
                .setOrderId(orderId)
                .setAccountId(account(seq))
                .setClientOrderId(runId + "-" + tag + "-" + seq)
                .setSymbol(p.symbol())
                .setSide(seq % 2 == 0 ? Side.BUY : Side.SELL)
                .setOrderType(OrderType.LIMIT)
                .setQuantity(quantity(seq))
                .setPrice(p.price().setScale(6))
                .setIdempotencyKey(null)
                .setRequestedAt(now)
                .build();
    }

    private static final OrderStatus[] FILL_STATUSES = {
        OrderStatus.PLACED,
        OrderStatus.PLACED,
        OrderStatus.PLACED,
        OrderStatus.REJECTED,
        OrderStatus.FAILED,
        OrderStatus.CANCELLED,
        OrderStatus.PLACED,
        OrderStatus.PLACED
    };

    /**
     * A terminal {@link OrderState} as the stream-processor would publish it, for filling the read side with many
     * orders quickly. Creation times go back from {@code newest} one millisecond per order, so filler orders sort
     * behind the orders the run itself places.
     */
    public OrderState fillerState(long seq, String orderId, Instant newest) {
        Product p = product(seq);
        OrderStatus status = FILL_STATUSES[(int) Math.floorMod(seq, (long) FILL_STATUSES.length)];
        Instant created = newest.minusMillis(seq + 1);
        return OrderState.newBuilder()
                .setOrderId(orderId)
                .setAccountId(account(seq))
                .setClientOrderId(runId + "-fill-" + seq)
                .setSymbol(p.symbol())
                .setSide(seq % 2 == 0 ? Side.BUY : Side.SELL)
                .setOrderType(OrderType.LIMIT)
                .setQuantity(quantity(seq))
                .setPrice(p.price().setScale(6))
                .setStatus(status)
                .setVersion(2)
                .setAttempts(status == OrderStatus.PLACED ? 1 : 0)
                .setReasons(status == OrderStatus.REJECTED ? List.of("PRICE_OUT_OF_BAND") : List.of())
                .setExchangeOrderId(status == OrderStatus.PLACED ? "X-" + seq : null)
                .setNextAttemptAt(null)
                .setLastError(status == OrderStatus.FAILED ? "exchange unavailable" : null)
                .setCreatedAt(created)
                .setUpdatedAt(created.plusMillis(1))
                .build();
    }
}
