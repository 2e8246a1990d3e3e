package io.orderpipeline.localstack;

import io.orderpipeline.infra.ApicurioRegistryProcess;
import java.nio.file.Path;
import java.util.List;

/**
 * One real Apicurio Registry (child JVM, in-memory storage) for the whole test JVM: started on first use, stopped
 * when the JVM exits. Every end-to-end test class shares it, whichever broker it runs on.
 */
final class SharedRegistry {

    private static ApicurioRegistryProcess registry;

    private SharedRegistry() {}

    static synchronized String url() {
        if (registry == null) {
            ApicurioRegistryProcess started =
                    ApicurioRegistryProcess.start(0, Path.of("target", "apicurio-registry.log"), List.of());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-registry"));
            registry = started;
        }
        return registry.registryApiUrl();
    }
}
