package dev.memsnap.dashboard;

/** A request the API answers with an error status and a JSON {@code {"error": message}}. */
final class ApiException extends RuntimeException {
    private final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
