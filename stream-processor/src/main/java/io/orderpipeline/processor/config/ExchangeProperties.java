package io.orderpipeline.processor.config;

import io.orderpipeline.processor.placement.SimulatedExchange;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where orders go, under {@code orders.exchange}. {@code kind=fix} (the default): the venue ({@code exchange-simulator}
 * or any FIX 4.4 acceptor) over one QuickFIX/J session per processor instance; {@code kind=simulated}: the in-process
 * {@link SimulatedExchange}, which acknowledges directly and never fills (topology benchmarks, tests where placement
 * does not matter). The venue's own faults (failure rate, latency, outages) are set at the venue, e.g. through its
 * admin API; the settings {@code latency} .. {@code ledgerFile} apply to the simulated exchange only. Examples:
 * {@code ORDERS_EXCHANGE_KIND=simulated ORDERS_EXCHANGE_FAILURERATE=1.0} (every attempt fails transiently, so every
 * valid order ends FAILED on the DLT), {@code ORDERS_EXCHANGE_VENUEPORT=9979}.
 *
 * @param kind {@code fix} or {@code simulated}
 * @param venueHost the venue's FIX acceptor host
 * @param venuePort the venue's FIX acceptor port
 * @param senderCompId SenderCompID of this instance's session, unique per instance; empty: {@code PIPELINE-} and the
 *     instance's static-membership name ({@code orders.processor.instance-id}, else host name and {@code server.port}),
 *     or {@code PIPELINE} when there is none ({@code server.port=0})
 * @param targetCompId the venue's CompID
 * @param fixStoreDir the session's sequence numbers and sent messages (QuickFIX/J FileStore); empty: {@code
 *     fix/<senderCompId>} under the Kafka Streams state directory
 * @param reconnectInterval pause between logon attempts while the venue is unreachable (whole seconds)
 * @param heartbeatInterval FIX HeartBtInt (whole seconds)
 * @param latency simulated: time until the exchange answers; answers arrive asynchronously, no stream thread waits
 * @param failureRate simulated: share of attempts that fail transiently (retried), 0.0-1.0
 * @param fatalRate simulated: share of attempts rejected for good (FAILED at once), 0.0-1.0
 * @param seed simulated: seed of the deterministic per-(order, attempt) draws
 * @param outages simulated: fixed outage windows ({@code orders.exchange.outages[0].from/until}, ISO-8601 instants)
 * @param outageEvery simulated: period of a recurring outage (with {@code outageLength}; {@code 0} = none)
 * @param outageLength simulated: length of the recurring outage at the start of every period
 * @param ledgerFile simulated: where the exchange journals what it placed, so that it remembers across processor
 *     restarts; empty = in memory only
 */
@Validated
@ConfigurationProperties("orders.exchange")
public record ExchangeProperties(
        @NotNull @DefaultValue("fix") Kind kind,
        @NotBlank @DefaultValue("127.0.0.1") String venueHost,
        @Min(1) @Max(65535) @DefaultValue("9878") int venuePort,
        @NotNull @DefaultValue("") String senderCompId,
        @NotBlank @DefaultValue("VENUE") String targetCompId,
        @NotNull @DefaultValue("") String fixStoreDir,
        @NotNull @DefaultValue("1s") Duration reconnectInterval,
        @NotNull @DefaultValue("5s") Duration heartbeatInterval,
        @NotNull @DefaultValue("0ms") Duration latency,

        @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.0")
        double failureRate,

        @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.0")
        double fatalRate,

        @DefaultValue("42") long seed,
        @Valid @NotNull @DefaultValue List<Outage> outages,
        @NotNull @DefaultValue("0s") Duration outageEvery,
        @NotNull @DefaultValue("0s") Duration outageLength,
        @NotNull @DefaultValue("") String ledgerFile) {

    /** Where orders go. */
    public enum Kind {
        /** The venue over FIX 4.4; its answers come back as execution reports on {@code orders.executions}. */
        FIX,
        /** The in-process simulated exchange: acknowledges directly, never fills. */
        SIMULATED
    }

    /** An outage from {@code from} (inclusive) to {@code until} (exclusive). */
    public record Outage(@NotNull Instant from, @NotNull Instant until) {}

    SimulatedExchange.Settings settings() {
        return new SimulatedExchange.Settings(
                latency,
                failureRate,
                fatalRate,
                seed,
                outages.stream()
                        .map(o -> new SimulatedExchange.OutageWindow(o.from(), o.until()))
                        .toList(),
                outageEvery,
                outageLength);
    }
}
