package io.orderpipeline.auth;

import java.util.List;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Puts what the resource servers decide on into the tokens: {@code accounts} (a JSON array of account ids, in access
 * and ID tokens) and, in access tokens, {@code aud} = the configured audience (instead of the client id) and {@code
 * client_id}, as RFC 9068 (JWT access tokens) has them. {@code scope}, {@code sub}, {@code iss}, {@code iat}, {@code
 * nbf}, {@code exp} and {@code jti} are Spring Authorization Server's.
 *
 * <p>Whose accounts: a client-credentials token carries the client's; a token obtained by a signed-in user (the
 * authorization-code grant of a public client) carries the user's, never the client's. A principal with no accounts
 * gets an empty array, so that a resource server that finds no account refuses rather than guesses.
 */
final class AccountsClaim implements OAuth2TokenCustomizer<JwtEncodingContext> {

    /** The claim's name. */
    static final String ACCOUNTS = "accounts";

    private final AuthSettings settings;

    AccountsClaim(AuthSettings settings) {
        this.settings = settings;
    }

    @Override
    public void customize(JwtEncodingContext context) {
        boolean accessToken = OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType());
        boolean idToken =
                OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue());
        if (!accessToken && !idToken) {
            return;
        }
        context.getClaims().claim(ACCOUNTS, accounts(context));
        if (accessToken) {
            String clientId = context.getRegisteredClient().getClientId();
            context.getClaims().audience(List.of(settings.audience())).claim("client_id", clientId);
        }
    }

    private List<String> accounts(JwtEncodingContext context) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
                || context.getPrincipal() instanceof OAuth2ClientAuthenticationToken) {
            return settings.client(context.getRegisteredClient().getClientId())
                    .map(AuthSettings.Client::accounts)
                    .orElse(List.of());
        }
        return settings.user(context.getPrincipal().getName())
                .map(AuthSettings.User::accounts)
                .orElse(List.of());
    }
}
