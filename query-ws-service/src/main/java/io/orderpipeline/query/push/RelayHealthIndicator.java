package io.orderpipeline.query.push;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code pushRelay} (only with {@code orders.stomp.relay.enabled=true}): UP while
 * the {@link RelayPublisher} is in its group and publishing; DOWN while it recovers, with the failure as detail.
 */
@Component("pushRelay")
@ConditionalOnProperty(prefix = "orders.stomp.relay", name = "enabled", havingValue = "true")
class RelayHealthIndicator implements HealthIndicator {

    private final RelayPublisher relay;

    RelayHealthIndicator(RelayPublisher relay) {
        this.relay = relay;
    }

    @Override
    public Health health() {
        if (relay.isLive()) {
            return Health.up().withDetail("recoveries", relay.recoveries()).build();
        }
        String problem = relay.problem();
        return Health.down()
                .withDetail("reason", problem == null ? "not in its consumer group yet" : "recovering from " + problem)
                .withDetail("recoveries", relay.recoveries())
                .build();
    }
}
