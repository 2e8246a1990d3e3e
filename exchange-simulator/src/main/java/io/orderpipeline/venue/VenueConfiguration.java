package io.orderpipeline.venue;

import io.orderpipeline.venue.book.Book;
import io.orderpipeline.venue.book.Journal;
import io.orderpipeline.venue.book.Market;
import io.orderpipeline.venue.book.VenueEngine;
import io.orderpipeline.venue.fix.FixAcceptor;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the venue: journal → book → engine → FIX acceptor. The acceptor starts with the context and stops first, so no
 * request reaches an engine that is gone; the journal closes last.
 */
@Configuration(proxyBeanMethods = false)
class VenueConfiguration {

    @Bean(destroyMethod = "close")
    Journal journal(VenueSettings settings) {
        return Journal.open(settings.dataDir().resolve("book.journal"));
    }

    @Bean
    Market market(VenueSettings settings) {
        return new Market(
                settings.prices().isEmpty() ? Market.REFERENCE_PRICES : settings.prices(),
                settings.fill().seed(),
                settings.fill().volatility());
    }

    @Bean
    Book book(Journal journal, Market market) {
        return new Book(journal, market);
    }

    @Bean(destroyMethod = "close")
    FixAcceptor fixAcceptor(VenueSettings settings) {
        return new FixAcceptor(
                settings.fixHost(), settings.fixPort(), settings.dataDir().resolve("fix"), settings.reportFailover());
    }

    @Bean(destroyMethod = "close")
    VenueEngine venueEngine(VenueSettings settings, Book book, Market market, FixAcceptor acceptor) {
        return new VenueEngine(
                book,
                market,
                settings.fill().toFillSettings(),
                settings.faults().toFaults(),
                acceptor);
    }

    @Bean
    SmartLifecycle venueLifecycle(VenueEngine engine, FixAcceptor acceptor) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                // the acceptor first: working the journal's live orders may send reports at once
                acceptor.start(engine, () -> engine.faults().outage());
                engine.start();
                running = true;
            }

            @Override
            public void stop() {
                acceptor.close();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
