package dev.spinmatch.spinctl.reach;

/**
 * A dependency a command needs could not be reached (or refused us) within its deadline. The message is one
 * line naming what, where and the flag that sets it; spinctl prints it and exits 2 ("cannot run").
 */
public final class Unreachable extends RuntimeException {
    public Unreachable(String what, String address, String flag, Throwable cause) {
        super("cannot reach " + what + " at " + address + " (" + reason(cause) + "); set it with " + flag, cause);
    }

    /** The innermost cause's message, on one line. */
    static String reason(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }
}
