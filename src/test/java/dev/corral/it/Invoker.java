package dev.corral.it;

/** Who runs {@code corral} in an integration test: root (like CI) or an ordinary user (like real users). */
public enum Invoker {
    ROOT, USER
}
