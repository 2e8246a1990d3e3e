package io.orderpipeline.query.push;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * STOMP push limits ({@code orders.push.*}). See {@link OrderPushHub} for the slow-subscriber policy they enforce.
 *
 * @param maxQueuedPerSession messages waiting for one session (after coalescing) before it is disconnected; a memory
 *     bound well above normal bursts (bodies are shared between sessions, a waiting message costs a few dozen bytes)
 * @param coalesceAfter once this many messages wait for a session, firehose messages of an order replace its waiting
 *     one instead of queueing (the session is lagging)
 * @param sendTimeLimit longest a single send to one session may take before it is disconnected (also Tomcat's blocking
 *     send timeout for that session, and Spring's WebSocket send-time limit)
 * @param sendBufferSizeLimit Spring's per-session WebSocket send buffer; exceeding it disconnects the session
 * @param messageSizeLimit largest inbound STOMP frame
 * @param outboundThreads threads writing to WebSocket sessions
 * @param heartbeat STOMP heart-beat both ways (0 disables)
 * @param snapshotAttempts tries to read the snapshot of an order for a new subscriber while its store is unavailable
 * @param allowedOriginPatterns browser origins allowed to open {@code /ws} (the page's own origin always is; clients
 *     that send no {@code Origin}, i.e. not browsers, are not affected)
 */
@Validated
@ConfigurationProperties("orders.push")
public record PushProperties(
        @DefaultValue("10000") @Min(1) int maxQueuedPerSession,
        @DefaultValue("500") @Min(1) int coalesceAfter,
        @DefaultValue("10s") @NotNull Duration sendTimeLimit,
        @DefaultValue("512KB") @NotNull DataSize sendBufferSizeLimit,
        @DefaultValue("64KB") @NotNull DataSize messageSizeLimit,
        @DefaultValue("4") @Min(1) int outboundThreads,
        @DefaultValue("10s") @NotNull Duration heartbeat,
        @DefaultValue("5") @Min(1) int snapshotAttempts,

        @DefaultValue({"http://127.0.0.1:[*]", "http://localhost:[*]"}) @NotNull
        List<String> allowedOriginPatterns) {}
