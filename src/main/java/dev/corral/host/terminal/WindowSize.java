package dev.corral.host.terminal;

/**
 * The size of a terminal window in character cells.
 *
 * @param rows lines, 1 to 65535
 * @param cols columns, 1 to 65535
 */
public record WindowSize(int rows, int cols) {
    private static final int MAX = 0xFFFF;

    public WindowSize {
        if (rows < 1 || rows > MAX) throw new IllegalArgumentException("rows must be 1 to " + MAX + ", not " + rows);
        if (cols < 1 || cols > MAX) throw new IllegalArgumentException("cols must be 1 to " + MAX + ", not " + cols);
    }
}
