package dev.corral.it;

/** What the sandbox under test runs on: this kernel's namespaces, or a container on the Docker engine the tests started. */
public enum SandboxBackend {
    NATIVE, DOCKER
}
