package dev.spinmatch.api;

import java.util.Locale;

/** What a bearer token may do; named in {@code api.tokens} as {@code token:spin,cancel,end,read}. */
enum Action {
    SPIN, CANCEL, END, READ;

    static Action parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("api.tokens: unknown action '" + name + "' (spin, cancel, end, read)");
        }
    }

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
