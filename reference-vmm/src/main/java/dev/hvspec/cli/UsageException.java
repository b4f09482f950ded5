package dev.hvspec.cli;

/**
 * A problem with what the user asked for (a bad argument, an unreadable or garbage image): the
 * CLI prints its message as one line on stderr and exits with status 2, never a stack trace.
 */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message, null, false, false);
    }
}
