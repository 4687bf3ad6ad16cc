package dev.corral.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives written here, read back by GNU tar: names of any length, modes, links, the end of the archive. */
class TarWriterTest {
    private static final String LONG_DIR = "node_modules/" + "a-package-with-a-rather-long-name/".repeat(4);
    private static final String LONG_FILE = LONG_DIR + "and-a-file-whose-name-alone-is-quite-long-too.js";

    @TempDir
    Path dir;

    @Test
    void gnuTarExtractsFoldersFilesAndLinksWithTheirModes() throws IOException, InterruptedException {
        Path archive = dir.resolve("a.tar");
        try (TarWriter tar = new TarWriter(Files.newOutputStream(archive))) {
            tar.directory("pkg", 0755, 1_700_000_000L);
            tar.file("pkg/run.sh", 0755, "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8));
            tar.file("pkg/data.json", 0644, "{}".getBytes(StandardCharsets.UTF_8));
            tar.symlink("pkg/latest", "run.sh", 1_700_000_000L);
            tar.hardLink("pkg/again.sh", "pkg/run.sh", 0755, 1_700_000_000L);
            tar.directory(LONG_DIR, 0755, 0);
            tar.file(LONG_FILE, 0644, "long".getBytes(StandardCharsets.UTF_8));
            tar.symlink("pkg/far", "../" + LONG_FILE, 0);
            tar.file("pkg/héllo-wörld.txt", 0644, "utf".getBytes(StandardCharsets.UTF_8));
        }
        Path out = Files.createDirectory(dir.resolve("out"));
        run("tar", "-xf", archive.toString(), "-C", out.toString());

        assertEquals("rwxr-xr-x", permissions(out.resolve("pkg/run.sh")));
        assertEquals("rw-r--r--", permissions(out.resolve("pkg/data.json")));
        assertEquals(Path.of("run.sh"), Files.readSymbolicLink(out.resolve("pkg/latest")));
        assertEquals(Files.getAttribute(out.resolve("pkg/run.sh"), "unix:ino"), Files.getAttribute(out.resolve("pkg/again.sh"), "unix:ino"));
        assertEquals("long", Files.readString(out.resolve(LONG_FILE)));
        assertEquals("long", Files.readString(out.resolve("pkg/far")));
        assertEquals("utf", Files.readString(out.resolve("pkg/héllo-wörld.txt")));
    }

    @Test
    void gnuTarListsEveryEntryAsRootsWithoutComplaint() throws IOException, InterruptedException {
        Path archive = dir.resolve("b.tar");
        try (TarWriter tar = new TarWriter(Files.newOutputStream(archive))) {
            tar.directory("d", 0755, 0);
            tar.file("d/f", 0600, new byte[1000]);
            tar.file(LONG_FILE, 0644, new byte[0]);
        }
        List<String> lines = run("tar", "-tvf", archive.toString()).lines().toList();

        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("drwxr-xr-x root/root"), lines.get(0));
        assertTrue(lines.get(1).matches("-rw------- root/root +1000 .* d/f"), lines.get(1));
        assertTrue(lines.get(2).endsWith(" " + LONG_FILE), lines.get(2));
    }

    @Test
    void archiveIsWholeBlocksEndingInTwoZeroBlocks() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarWriter tar = new TarWriter(bytes)) {
            tar.file("f", 0644, new byte[]{1, 2, 3});
        }
        byte[] all = bytes.toByteArray();

        assertEquals(4 * TarWriter.BLOCK, all.length); // header, content, the end
        for (int i = 2 * TarWriter.BLOCK; i < all.length; i++) assertEquals(0, all[i]);
    }

    @Test
    void paxRecordLengthCountsItsOwnDigits() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("path", "x".repeat(89)); // " path=" + 89 + "\n" is 96 bytes: with 2 digits 98, no carry
        values.put("linkpath", "y".repeat(88)); // " linkpath=" + 88 + "\n" is 99 bytes: 102 with the third digit that 101 needs
        String records = new String(TarWriter.paxRecords(values), StandardCharsets.UTF_8);

        for (String record : records.split("(?<=\n)")) {
            int declared = Integer.parseInt(record.substring(0, record.indexOf(' ')));
            assertEquals(record.getBytes(StandardCharsets.UTF_8).length, declared, record);
        }
    }

    @Test
    void refusesNamesThatLeaveTheArchive() {
        TarWriter tar = new TarWriter(OutputStream.nullOutputStream());
        assertThrows(IllegalArgumentException.class, () -> tar.file("/etc/passwd", 0644, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> tar.file("a/../../b", 0644, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> tar.symlink("", "x", 0));
    }

    @Test
    void fileThatShrankWhileArchivedIsAnError() {
        TarWriter tar = new TarWriter(OutputStream.nullOutputStream());
        assertThrows(IOException.class, () -> tar.file("f", 0644, 0, 10, new ByteArrayInputStream(new byte[4])));
    }

    private static String permissions(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
    }

    static String run(String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", argv) + ": " + output);
        return output;
    }
}
