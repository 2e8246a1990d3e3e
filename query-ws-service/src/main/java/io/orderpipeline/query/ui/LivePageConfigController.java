package io.orderpipeline.query.ui;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /config.json} (open, like the page itself): what the live page needs before it has a token — the issuer
 * to sign in with, its client id and scopes, and where ingest-api is.
 */
@Tag(name = "ui", description = "Helpers of the live page")
@RestController
class LivePageConfigController {

    private final Map<String, String> config;

    LivePageConfigController(UiProperties properties, ObjectProvider<OAuth2ResourceServerProperties> resourceServer) {
        String issuer = properties.issuer();
        if (issuer.isBlank()) {
            OAuth2ResourceServerProperties server = resourceServer.getIfAvailable();
            issuer = server == null || server.getJwt().getIssuerUri() == null
                    ? ""
                    : server.getJwt().getIssuerUri();
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("issuer", issuer);
        values.put("clientId", properties.clientId());
        values.put("scope", properties.scope());
        values.put("ingestUrl", properties.ingestUrl());
        this.config = Collections.unmodifiableMap(values);
    }

    @Operation(summary = "Sign-in settings of the live page (issuer, client id, scopes, ingest-api URL)")
    @GetMapping("/config.json")
    Map<String, String> config() {
        return config;
    }
}
