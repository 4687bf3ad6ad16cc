package dev.corral.net.tls;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Run in separate JVMs by the tests: waits for "go" on stdin, then loads or creates the CA and prints its fingerprint. */
final class CaCreatorMain {
    private CaCreatorMain() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine();
        CertificateAuthority ca = CertificateAuthority.loadOrCreate(Path.of(args[0]));
        System.out.println(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.certificate().getEncoded())));
    }
}
