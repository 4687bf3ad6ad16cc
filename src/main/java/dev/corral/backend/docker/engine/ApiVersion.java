package dev.corral.backend.docker.engine;

/** A Docker API version such as 1.41. */
record ApiVersion(int major, int minor) implements Comparable<ApiVersion> {

    static ApiVersion parse(String text) {
        int dot = text.indexOf('.');
        try {
            return new ApiVersion(Integer.parseInt(text.substring(0, dot)), Integer.parseInt(text.substring(dot + 1)));
        } catch (RuntimeException e) {
            throw new EngineException("the engine reports an API version Corral cannot read: " + text, "check that it is a Docker-compatible engine");
        }
    }

    @Override
    public int compareTo(ApiVersion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
