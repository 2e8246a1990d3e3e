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
 * authorization-code grant of a public client) carries the user's, never the client's. Such a token's {@code scope}
 * is also narrowed to the user's own scopes ({@link AuthSettings.User#scopes()}), so a client that may ask for
 * {@code orders:admin} hands it only to an operator. A principal with no accounts
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
        if (accessToken && !clientsOwn(context)) {
            // The client may ask for more than the user may hold (the live page asks for orders:admin for operators):
            // the token carries what both allow. An unknown user holds nothing.
            List<String> allowed = settings.user(context.getPrincipal().getName())
                    .map(AuthSettings.User::scopes)
                    .orElse(List.of());
            context.getClaims()
                    .claim(
                            "scope",
                            context.getAuthorizedScopes().stream()
                                    .filter(allowed::contains)
                                    .sorted()
                                    .toList());
        }
        if (accessToken) {
            String clientId = context.getRegisteredClient().getClientId();
            context.getClaims().audience(List.of(settings.audience())).claim("client_id", clientId);
        }
    }

    /** Whether the token is the client's own (client credentials), not a signed-in user's. */
    private static boolean clientsOwn(JwtEncodingContext context) {
        return AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
                || context.getPrincipal() instanceof OAuth2ClientAuthenticationToken;
    }

    private List<String> accounts(JwtEncodingContext context) {
        if (clientsOwn(context)) {
            return settings.client(context.getRegisteredClient().getClientId())
                    .map(AuthSettings.Client::accounts)
                    .orElse(List.of());
        }
        return settings.user(context.getPrincipal().getName())
                .map(AuthSettings.User::accounts)
                .orElse(List.of());
    }
}
