package io.darkroom;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.Permission;
import java.util.Locale;

/**
 * Watches a Darkroom JVM for any connection to, or name lookup of, something that is not the
 * loopback: installed with {@code -Djava.security.manager=io.darkroom.LoopbackOnlyWatch}, it writes
 * each such attempt (host, port, stack) to the file named by {@code darkroom.test.network-log} and
 * refuses it, so nothing leaves the machine even when the watch finds something. Everything else
 * is allowed: it is a network watch, not a sandbox. One lookup is allowed: the machine's own name,
 * which the JDK's font configuration asks for (to name its cache file) the first time the preview
 * provider draws text; a connection to the address it gives would still be recorded.
 */
public class LoopbackOnlyWatch extends SecurityManager {

    static final String LOG_PROPERTY = "darkroom.test.network-log";

    private final Path log;
    private final String ownName = ownName();

    public LoopbackOnlyWatch() {
        this(Path.of(System.getProperty(LOG_PROPERTY, "network-attempts.log")));
    }

    LoopbackOnlyWatch(Path log) {
        this.log = log;
    }

    /** Port -1 is a name lookup; any other port a connection (or a datagram sent there). */
    @Override
    public void checkConnect(String host, int port) {
        if (!isLoopback(host) && !(port == -1 && host.equalsIgnoreCase(ownName))) {
            record(host, port);
            throw new SecurityException("not on the loopback: " + host + (port >= 0 ? ":" + port : " (lookup)"));
        }
    }

    @Override
    public void checkConnect(String host, int port, Object context) {
        checkConnect(host, port);
    }

    @Override
    public void checkMulticast(java.net.InetAddress group) {
        record(group.getHostAddress(), -2);
        throw new SecurityException("multicast: " + group.getHostAddress());
    }

    @Override
    public void checkPermission(Permission permission) {
        // everything but the network is allowed
    }

    @Override
    public void checkPermission(Permission permission, Object context) {
        // everything but the network is allowed
    }

    /** Loopback names and literal addresses only: deciding must not itself look anything up. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost") || h.endsWith(".localhost") || h.startsWith("127.") || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1") || h.startsWith("::ffff:127.");
    }

    /** The host name as the system has it, read without a lookup. */
    private static String ownName() {
        try {
            return Files.readString(Path.of("/etc/hostname")).trim();
        } catch (IOException e) {
            return String.valueOf(System.getenv("HOSTNAME"));
        }
    }

    private synchronized void record(String host, int port) {
        StringWriter stack = new StringWriter();
        new Throwable("attempt").printStackTrace(new PrintWriter(stack));
        String line = host + " port " + port + " in " + Thread.currentThread().getName() + "\n" + stack + "\n";
        try {
            Files.writeString(log, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
