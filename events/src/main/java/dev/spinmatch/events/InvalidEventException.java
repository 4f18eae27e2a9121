package dev.spinmatch.events;

/** A record that does not meet the event contract; {@link #field()} names the offending field. */
public final class InvalidEventException extends RuntimeException {
    private final String field;

    public InvalidEventException(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
