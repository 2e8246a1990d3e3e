package io.orderpipeline.query.feed;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code orderFeed}: UP while the change feed reads the state topic; DOWN before
 * its partitions are assigned and while it recovers from a failure (with the failure as detail).
 */
@Component("orderFeed")
class OrderFeedHealthIndicator implements HealthIndicator {

    private final OrderStateFeed feed;

    OrderFeedHealthIndicator(OrderStateFeed feed) {
        this.feed = feed;
    }

    @Override
    public Health health() {
        if (feed.isLive()) {
            return Health.up().withDetail("recoveries", feed.recoveries()).build();
        }
        String problem = feed.problem();
        return Health.down()
                .withDetail("reason", problem == null ? "no partition assigned yet" : "recovering from " + problem)
                .withDetail("recoveries", feed.recoveries())
                .build();
    }
}
