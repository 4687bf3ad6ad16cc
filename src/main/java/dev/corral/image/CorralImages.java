package dev.corral.image;

import java.util.List;

/**
 * The images Corral builds for the Docker backend, without any registry: a base root filesystem
 * from Debian's packages, and on top of it one image per agent. The tag follows the package list,
 * so a changed list is a new image rather than a stale one.
 */
public final class CorralImages {
    /** The Debian release the base is built from: trixie's Node.js 20 runs every npm agent (bookworm's 18 is too old for Gemini CLI). */
    public static final String SUITE = "trixie";
    /**
     * What every sandbox needs inside: a shell and core tools (minbase), git, socat for the
     * proxy forwarder, CA certificates, Node.js for the npm-installed agents; curl and Python
     * (its full standard library) for the tests and for agents' own scripts.
     */
    public static final List<String> PACKAGES = List.of("bash", "ca-certificates", "coreutils", "curl", "findutils", "git", "less",
            "nodejs", "procps", "python3", "socat");
    public static final String REPOSITORY = "corral/base";
    /** Every image Corral builds has it: {@code base} or {@code agent}. */
    public static final String KIND_LABEL = "dev.corral.image";
    public static final String AGENT_LABEL = "dev.corral.agent";
    public static final String VERSION_LABEL = "dev.corral.agent.version";
    /** On an agent's image: the id of the base image it was built on (a new base means the agent's image is built again). */
    public static final String BASE_LABEL = "dev.corral.base";
    /** The PATH of Debian's own images. */
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private CorralImages() {
    }

    /** What the engine adds to the base's root filesystem when it imports it (Dockerfile instructions). */
    public static List<String> baseChanges() {
        return List.of("LABEL " + KIND_LABEL + "=base", "ENV PATH=" + PATH, "CMD [\"/bin/bash\"]");
    }

    /** The base image's reference, e.g. {@code corral/base:bookworm-1a2b3c4d}. */
    public static String base() {
        return REPOSITORY + ":" + SUITE + "-" + Integer.toHexString(String.join(",", PACKAGES).hashCode() & 0x7fffffff);
    }
}
