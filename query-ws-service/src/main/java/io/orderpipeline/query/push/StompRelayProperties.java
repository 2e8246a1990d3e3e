package io.orderpipeline.query.push;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * An external STOMP broker (e.g. RabbitMQ with {@code rabbitmq_stomp}) for {@code /topic/orders}
 * ({@code orders.stomp.relay.*}). Disabled by default: the in-process simple broker is used.
 *
 * @param enabled relay {@code /topic} to the external broker
 * @param host broker host
 * @param port broker STOMP port
 * @param clientLogin login used for client sessions' broker connections
 * @param clientPasscode passcode of {@code clientLogin}
 * @param systemLogin login of the shared "system" connection this service publishes on
 * @param systemPasscode passcode of {@code systemLogin}
 * @param virtualHost STOMP {@code host} header (RabbitMQ virtual host); blank for the broker default
 */
@Validated
@ConfigurationProperties("orders.stomp.relay")
public record StompRelayProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("127.0.0.1") @NotBlank String host,
        @DefaultValue("61613") @Min(1) @Max(65535) int port,
        @DefaultValue("guest") String clientLogin,
        @DefaultValue("guest") String clientPasscode,
        @DefaultValue("guest") String systemLogin,
        @DefaultValue("guest") String systemPasscode,
        @DefaultValue("") String virtualHost) {}
