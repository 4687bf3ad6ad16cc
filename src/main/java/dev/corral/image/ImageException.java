package dev.corral.image;

import dev.corral.CorralException;

/** An image could not be built: a missing tool, a failed root filesystem build, an unreadable install. */
public class ImageException extends CorralException {
    public ImageException(String message, String fix) {
        super(message, fix);
    }

    public ImageException(String message, String fix, Throwable cause) {
        super(message, fix, cause);
    }
}
