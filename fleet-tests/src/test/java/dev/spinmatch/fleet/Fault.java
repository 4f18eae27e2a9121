package dev.spinmatch.fleet;

import java.time.Duration;

/**
 * The faults, each injected mid-storm in a scenario of its own. {@link #recoveryTarget} is counted
 * from the moment the fault happened (a kill, a pause) or the broken part was back (an outage).
 */
enum Fault {
    /** SIGKILL a worker container (no shutdown at all), then start a replacement. */
    WORKER_KILLED("worker SIGKILLed, replacement started", Duration.ofSeconds(10)),
    /** Stop the broker container (SIGTERM) for {@link Scenario#OUTAGE}, then start it again. */
    BROKER_RESTARTED("broker stopped " + Scenario.OUTAGE.toSeconds() + " s, restarted", Duration.ofSeconds(30)),
    /** Stop PostgreSQL (SIGINT: fast shutdown) for {@link Scenario#OUTAGE}, then start it again. */
    DATABASE_RESTARTED("PostgreSQL stopped " + Scenario.OUTAGE.toSeconds() + " s, restarted", Duration.ofSeconds(30)),
    /** SIGSTOP a worker past its session timeout, then SIGCONT it: a zombie with a batch in hand. */
    WORKER_PAUSED("worker SIGSTOPped " + Scenario.PAUSE.toSeconds() + " s (session timeout "
            + ContainerPipeline.SESSION_TIMEOUT.toSeconds() + " s), SIGCONT", Duration.ofSeconds(10));

    final String description;
    final Duration recoveryTarget;

    Fault(String description, Duration recoveryTarget) {
        this.description = description;
        this.recoveryTarget = recoveryTarget;
    }
}
