package io.orderpipeline.query.feed;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code /actuator/health} component {@code orderFeed}: UP once the change feed reads the state topic. */
@Component("orderFeed")
class OrderFeedHealthIndicator implements HealthIndicator {

    private final OrderStateFeed feed;

    OrderFeedHealthIndicator(OrderStateFeed feed) {
        this.feed = feed;
    }

    @Override
    public Health health() {
        return feed.isAssigned()
                ? Health.up().build()
                : Health.down()
                        .withDetail("reason", "no partition assigned yet")
                        .build();
    }
}
