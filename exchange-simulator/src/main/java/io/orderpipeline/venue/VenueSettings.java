package io.orderpipeline.venue;

import io.orderpipeline.venue.book.Faults;
import io.orderpipeline.venue.book.FillSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the venue under {@code orders.venue}; the admin HTTP API listens on {@code server.address} /
 * {@code server.port} (127.0.0.1:8086).
 *
 * @param fixHost address of the FIX acceptor
 * @param fixPort port of the FIX acceptor; 0 = a free one (tests)
 * @param dataDir the journal ({@code book.journal}) and the FIX sessions' stores ({@code fix/}); relative to the
 *     working directory
 * @param prices reference prices by symbol; empty = the embedded run's instruments (AAPL 190.00, MSFT 420.00, GOOGL
 *     170.00, AMZN 185.00, NVDA 120.00). A symbol not listed is rejected (OrdRejReason 1)
 * @param reportFailover whether a report whose session (the one of the order's latest request) is not logged on goes
 *     to another logged-on session rather than waiting in the store for that session's next logon; on when a
 *     processor instance may be gone for good while another takes over its accounts
 * @param fill the fill model
 * @param faults the faults at start (changeable at run time: {@code PUT /admin/faults})
 */
@Validated
@ConfigurationProperties("orders.venue")
public record VenueSettings(
        @NotBlank @DefaultValue("127.0.0.1") String fixHost,
        @Min(0) @Max(65535) @DefaultValue("9878") int fixPort,

        @NotNull @DefaultValue(".local-stack/exchange-simulator")
        Path dataDir,

        @NotNull @DefaultValue Map<String, BigDecimal> prices,
        @DefaultValue("false") boolean reportFailover,
        @Valid @NotNull @DefaultValue Fill fill,
        @Valid @NotNull @DefaultValue FaultSettings faults) {

    /**
     * {@code orders.venue.fill.*}; see {@link FillSettings} for the models.
     *
     * @param model {@code immediate}, {@code partial} or {@code market}
     * @param minSlices fewest executions a marketable order fills in
     * @param maxSlices most executions a marketable order fills in
     * @param sliceInterval pause between two executions of one order
     * @param tickInterval how often the simulated price moves (market model)
     * @param volatility one tick's standard deviation, relative to the reference price
     */
    public record Fill(
            @NotNull @DefaultValue("market") FillSettings.FillModel model,
            @DefaultValue("42") long seed,
            @Min(1) @DefaultValue("1") int minSlices,
            @Min(1) @DefaultValue("3") int maxSlices,
            @NotNull @DefaultValue("5ms") Duration sliceInterval,
            @NotNull @DefaultValue("200ms") Duration tickInterval,

            @DecimalMin("0") @DecimalMax("0.1") @DefaultValue("0.0005")
            double volatility) {

        FillSettings toFillSettings() {
            return new FillSettings(model, seed, minSlices, maxSlices, sliceInterval, tickInterval, volatility);
        }
    }

    /** {@code orders.venue.faults.*}; see {@link Faults}. */
    public record FaultSettings(
            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0")
            double failureRate,

            @DecimalMin("0") @DecimalMax("1") @DefaultValue("0")
            double rejectRate,

            @Min(0) @DefaultValue("0") long latencyMs,
            @DefaultValue("false") boolean outage) {

        Faults toFaults() {
            return new Faults(failureRate, rejectRate, latencyMs, outage);
        }
    }
}
