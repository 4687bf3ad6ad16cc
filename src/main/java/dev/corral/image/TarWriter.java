package dev.corral.image;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a POSIX tar stream (ustar headers, with a PAX extended header before an entry whose name
 * or link target doesn't fit, or isn't ASCII): folders, files, symbolic and hard links, owned by root,
 * with their permission bits. What an engine's build context needs, and nothing else.
 */
public final class TarWriter implements Closeable {
    static final int BLOCK = 512;
    private static final int NAME_FIELD = 100;
    /** Sizes up to 8 GiB - 1 fit the 11 octal digits of a ustar header. */
    private static final long USTAR_MAX_SIZE = 077777777777L;
    private final OutputStream out;
    private boolean closed;

    /** @param out where the archive goes; buffered by the caller, closed with this writer */
    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /** A folder; {@code name} is relative, with or without its trailing slash. */
    public void directory(String name, int mode, long mtimeSeconds) throws IOException {
        String path = name.endsWith("/") ? name : name + "/";
        header(path, '5', mode, 0, mtimeSeconds, "");
    }

    /** A regular file of {@code size} bytes read from {@code content}, which must hold exactly that many. */
    public void file(String name, int mode, long mtimeSeconds, long size, InputStream content) throws IOException {
        header(name, '0', mode, size, mtimeSeconds, "");
        long copied = 0;
        byte[] buffer = new byte[65536];
        while (copied < size) {
            int n = content.read(buffer, 0, (int) Math.min(buffer.length, size - copied));
            if (n < 0) break;
            out.write(buffer, 0, n);
            copied += n;
        }
        if (copied != size) throw new IOException(name + " changed while it was archived: " + copied + " bytes, not " + size);
        pad(size);
    }

    public void file(String name, int mode, byte[] content) throws IOException {
        file(name, mode, 0, content.length, new ByteArrayInputStream(content));
    }

    /** A symbolic link to {@code target}, kept as it is (relative or absolute). */
    public void symlink(String name, String target, long mtimeSeconds) throws IOException {
        header(name, '2', 0777, 0, mtimeSeconds, target);
    }

    /**
     * A hard link to {@code target}, an entry written before it (so the content is stored once);
     * with the file's own mode and time, which readers such as Docker's apply to it again.
     */
    public void hardLink(String name, String target, int mode, long mtimeSeconds) throws IOException {
        header(name, '1', mode, 0, mtimeSeconds, target);
    }

    /** The two zero blocks that end an archive, then the stream is closed. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try (out) {
            out.write(new byte[2 * BLOCK]);
        }
    }

    private void header(String name, char type, int mode, long size, long mtimeSeconds, String link) throws IOException {
        if (name.isEmpty() || name.startsWith("/") || Arrays.asList(name.split("/")).contains("..")) {
            throw new IllegalArgumentException("not a relative path inside the archive: " + name);
        }
        Map<String, String> pax = new LinkedHashMap<>();
        if (!fits(name)) pax.put("path", name);
        if (!fits(link)) pax.put("linkpath", link);
        if (size > USTAR_MAX_SIZE) pax.put("size", Long.toString(size));
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            out.write(ustar(paxName(name), 'x', 0644, records.length, mtimeSeconds, ""));
            out.write(records);
            pad(records.length);
        }
        out.write(ustar(name, type, mode, size, mtimeSeconds, link));
    }

    /** One 512-byte ustar header; fields too long for it were given in a PAX header before it. */
    static byte[] ustar(String name, char type, int mode, long size, long mtimeSeconds, String link) {
        byte[] block = new byte[BLOCK];
        put(block, 0, NAME_FIELD, ascii(name));
        octal(block, 100, 8, mode & 07777);
        octal(block, 108, 8, 0); // uid: root
        octal(block, 116, 8, 0); // gid: root
        octal(block, 124, 12, Math.min(size, USTAR_MAX_SIZE));
        octal(block, 136, 12, Math.max(0, Math.min(mtimeSeconds, 077777777777L)));
        Arrays.fill(block, 148, 156, (byte) ' '); // the checksum counts itself as spaces
        block[156] = (byte) type;
        put(block, 157, NAME_FIELD, ascii(link));
        put(block, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(block, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(block, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
        put(block, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
        int sum = 0;
        for (byte b : block) sum += b & 0xff;
        byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, block, 148, 8);
        return block;
    }

    /** PAX records: {@code "LENGTH key=value\n"}, where LENGTH counts the whole record, itself included. */
    static byte[] paxRecords(Map<String, String> values) {
        StringBuilder records = new StringBuilder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            int body = (" " + e.getKey() + "=" + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8).length;
            int length = body + Integer.toString(body).length();
            if (Integer.toString(length).length() != Integer.toString(body).length()) length++;
            records.append(length).append(' ').append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return records.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static boolean fits(String value) {
        return value.length() <= NAME_FIELD && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** The PAX header's own name, by convention beside the entry (readers don't extract it); {@link #ustar} makes it ASCII. */
    private static String paxName(String name) {
        String base = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        base = base.substring(base.lastIndexOf('/') + 1);
        return "PaxHeaders/" + (base.length() > 80 ? base.substring(0, 80) : base);
    }

    /** The field's bytes: the ASCII of what fits; the full value is in the PAX header then. */
    private static byte[] ascii(String value) {
        byte[] bytes = new byte[Math.min(value.length(), NAME_FIELD)];
        for (int i = 0; i < bytes.length; i++) {
            char c = value.charAt(i);
            bytes[i] = c >= 0x20 && c < 0x7f ? (byte) c : (byte) '_';
        }
        return bytes;
    }

    private static void put(byte[] block, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, block, offset, Math.min(length, value.length));
    }

    private static void octal(byte[] block, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(Math.max(0, length - 1 - digits.length())) + digits;
        put(block, offset, length - 1, padded.getBytes(StandardCharsets.US_ASCII));
        block[offset + length - 1] = 0;
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) out.write(new byte[BLOCK - rest]);
    }
}
