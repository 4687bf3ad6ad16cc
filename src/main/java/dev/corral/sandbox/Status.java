package dev.corral.sandbox;

import java.util.Locale;

/** The lifecycle of a sandbox: created (never run), running, stopped. */
public enum Status {
    CREATED, RUNNING, STOPPED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
