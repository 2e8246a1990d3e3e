package io.orderpipeline.auth;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * auth-server: the embedded default's OAuth2 / OpenID Connect issuer (Spring Authorization Server) on
 * {@code 127.0.0.1:9000}. It signs the access tokens that ingest-api and query-ws-service accept: RS256 JWTs carrying
 * the principal's {@code accounts}, its {@code scope} and {@code aud: orders-api}. Its clients and users are the demo
 * identities of {@code auth-server.yml} ({@link AuthSettings}); pointing the services at any other OIDC issuer makes it
 * unnecessary.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AuthServerApplication {

    /** {@code spring.config.name}: the issuer reads {@code auth-server.yml}, so it can share a JVM with the services. */
    public static final String CONFIG_NAME = "auth-server";

    public static void main(String[] args) {
        new SpringApplicationBuilder(AuthServerApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME)
                .run(args);
    }
}
