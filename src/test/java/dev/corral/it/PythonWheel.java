package dev.corral.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** A minimal pure-Python wheel with one module and a console script, built in memory for a test index. */
final class PythonWheel {
    private PythonWheel() {
    }

    /** {@code NAME-VERSION-py3-none-any.whl}: module {@code NAME} with {@code main()}, script {@code NAME}. */
    static byte[] consoleScript(String name, String version, String moduleSource) {
        String info = name + "-" + version + ".dist-info/";
        Map<String, String> files = new LinkedHashMap<>();
        files.put(name + "/__init__.py", moduleSource);
        files.put(info + "METADATA", "Metadata-Version: 2.1\nName: " + name + "\nVersion: " + version + "\n");
        files.put(info + "WHEEL", "Wheel-Version: 1.0\nGenerator: corral-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
        files.put(info + "entry_points.txt", "[console_scripts]\n" + name + " = " + name + ":main\n");
        StringBuilder record = new StringBuilder();
        for (String path : files.keySet()) record.append(path).append(",,\n");
        record.append(info).append("RECORD,,\n");
        files.put(info + "RECORD", record.toString());
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            zip.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
