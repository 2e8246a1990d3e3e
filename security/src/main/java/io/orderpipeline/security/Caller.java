package io.orderpipeline.security;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who is calling, as its token says: the subject, the accounts it acts for and sees, its scopes.
 *
 * <p>An admin ({@link SecuritySettings#adminScope}) acts for and sees every account, whatever its accounts claim
 * says; everybody else exactly the accounts of the claim (none when the claim is missing).
 */
public record Caller(String subject, Set<String> accounts, Set<String> scopes, boolean admin) {

    public Caller {
        Objects.requireNonNull(subject, "subject");
        accounts = Set.copyOf(accounts);
        scopes = Set.copyOf(scopes);
    }

    /** The caller a validated token describes. */
    public static Caller of(Jwt jwt, SecuritySettings settings) {
        Set<String> scopes = strings(jwt.getClaim("scope"));
        if (scopes.isEmpty()) {
            scopes = strings(jwt.getClaim("scp"));
        }
        return new Caller(
                jwt.getSubject() == null ? "" : jwt.getSubject(),
                strings(jwt.getClaim(settings.accountsClaim())),
                scopes,
                scopes.contains(settings.adminScope()));
    }

    /** Whether the caller may submit, cancel, read and subscribe to orders of {@code accountId}. */
    public boolean mayActFor(String accountId) {
        return admin || (accountId != null && accounts.contains(accountId));
    }

    /** The accounts whose orders the caller sees; empty for an admin, who sees all. */
    public Optional<Set<String>> visibleAccounts() {
        return admin ? Optional.empty() : Optional.of(accounts);
    }

    private static Set<String> strings(Object claim) {
        Set<String> values = new LinkedHashSet<>();
        if (claim instanceof Collection<?> list) {
            list.forEach(value -> values.add(String.valueOf(value)));
        } else if (claim instanceof String text) {
            for (String value : text.trim().split("\\s+")) {
                if (!value.isEmpty()) {
                    values.add(value);
                }
            }
        }
        return values;
    }
}
