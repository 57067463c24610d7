package dev.kubani.services;

/**
 * Where a check gets a password from (a file, an environment variable, a cluster Secret). It is
 * read only when the check gets that far, and its value never reaches a report.
 */
@FunctionalInterface
public interface Secret {
    String get() throws CheckFailure;

    static Secret of(String value) {
        return () -> value;
    }
}
