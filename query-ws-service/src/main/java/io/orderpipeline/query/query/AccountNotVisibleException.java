package io.orderpipeline.query.query;

/**
 * A listing names an account its caller's token does not grant. Maps to {@code 403}: the caller knows its own
 * accounts (they are in its token), so refusing reveals nothing about the account.
 */
class AccountNotVisibleException extends RuntimeException {

    AccountNotVisibleException(String accountId) {
        super("the token does not grant account " + accountId);
    }
}
