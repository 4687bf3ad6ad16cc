package dev.corral.net.tls;

import dev.corral.CorralException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Corral's TLS material (its CA, the sandbox trust files) could not be made or used. */
public class TlsException extends CorralException {
    public TlsException(String message, String fix) {
        super(message, fix);
    }

    public TlsException(String message, String fix, Throwable cause) {
        super(message, fix, cause);
    }

    /** A short reason for an I/O failure, naming the file when there is one ("/x: permission denied"). */
    static String reason(IOException e) {
        return e instanceof FileSystemException f && f.getFile() != null ? f.getFile() + ": " + why(e) : why(e);
    }

    /** The cause of an I/O failure alone, without the file name. */
    static String why(IOException e) {
        if (e instanceof NoSuchFileException) return "no such file";
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f) return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
