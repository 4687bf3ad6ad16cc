package dev.corral.secrets;

import java.security.SecureRandom;
import java.security.SecureRandomSpi;

/**
 * A {@link SecureRandom} that sets the real one up only when it is first asked for bytes: every
 * sandbox start opens the secret store to read placeholders, and seeding a SecureRandom (loading
 * the security providers) costs tens of milliseconds that only {@code corral secret set} needs.
 */
final class LazySecureRandom extends SecureRandom {
    LazySecureRandom() {
        super(new Spi(), null);
    }

    private static final class Spi extends SecureRandomSpi {
        private SecureRandom real;

        private synchronized SecureRandom real() {
            if (real == null) real = new SecureRandom();
            return real;
        }

        @Override
        protected void engineSetSeed(byte[] seed) {
            real().setSeed(seed);
        }

        @Override
        protected void engineNextBytes(byte[] bytes) {
            real().nextBytes(bytes);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            return real().generateSeed(numBytes);
        }
    }
}
