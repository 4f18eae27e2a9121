package dev.spinmatch.spinctl.storm;

/** A spin sent by the storm and not yet resolved: when it was accepted, to time the match. */
final class SpinRecord {
    final SimUser user;
    volatile long acceptedNanos;

    SpinRecord(SimUser user) {
        this.user = user;
    }
}
