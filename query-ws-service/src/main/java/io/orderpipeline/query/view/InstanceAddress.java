package io.orderpipeline.query.view;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Where other instances reach this one: the advertised host and the port the web server actually bound (tests use port
 * 0). Known once the web server has started, which is before the Streams application starts.
 */
@Component
public class InstanceAddress implements ApplicationListener<WebServerInitializedEvent> {

    private final String host;
    private final AtomicReference<HostInfo> self = new AtomicReference<>();

    InstanceAddress(QueryProperties properties) {
        this.host = properties.advertisedHost();
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) {
            self.set(new HostInfo(host, event.getWebServer().getPort()));
        }
    }

    /** This instance, as it appears in Streams metadata. */
    public HostInfo self() {
        HostInfo info = self.get();
        if (info == null) {
            throw new IllegalStateException("web server not started yet");
        }
        return info;
    }

    public boolean isSelf(HostInfo other) {
        return self().equals(other);
    }
}
