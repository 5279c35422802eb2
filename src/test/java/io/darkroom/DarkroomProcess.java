package io.darkroom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Darkroom as a user runs it: a separate JVM whose working directory holds config/ and routes/,
 * configured through environment variables, its output in a log file.
 */
public class DarkroomProcess {

    private final Path home;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private String maxHeap = "256m";
    private Path jar;
    private Process process;
    private int runs;

    public DarkroomProcess(Path home) {
        this.home = home;
        copyTree(Path.of("config"), home.resolve("config"));
        copyTree(Path.of("routes"), home.resolve("routes"));
    }

    /** The port of the console, health and metrics server of this process. */
    public int serverPort() {
        return Integer.parseInt(environment.get("CAMEL_SERVER_PORT"));
    }

    public DarkroomProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    public DarkroomProcess jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /** -Xmx for the JVM (default 256m); null leaves the heap to the JVM's own sizing, as a plain {@code java -jar} does. */
    public DarkroomProcess maxHeap(String size) {
        this.maxHeap = size;
        return this;
    }

    /** Runs this packaged jar ({@code java -jar}) instead of the classes on the test classpath. */
    public DarkroomProcess jar(Path jar) {
        this.jar = jar.toAbsolutePath();
        return this;
    }

    public long pid() {
        return process.pid();
    }

    public Path home() {
        return home;
    }

    public Path log() {
        return home.resolve("darkroom-" + runs + ".log");
    }

    public DarkroomProcess start(String... args) throws IOException {
        runs++;
        // the console, health and metrics server: a fresh free port on every start, never a fixed
        // one another run (or the killed process before this one) may still hold
        environment.put("CAMEL_SERVER_PORT", String.valueOf(freePort()));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (maxHeap != null) {
            command.add("-Xmx" + maxHeap);
        }
        command.add("-Dsun.net.httpserver.nodelay=true");
        command.addAll(jvmOptions);
        if (jar != null) {
            command.add("-jar");
            command.add(jar.toString());
        } else {
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(Darkroom.class.getName());
        }
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log().toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        return this;
    }

    /** Waits for the process to end and returns its exit code. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Darkroom did not finish within " + seconds + " s; log: " + readLog());
        }
        return process.exitValue();
    }

    /** SIGTERM: the graceful stop a service manager asks for. */
    public void terminate() {
        process.destroy();
    }

    /** SIGKILL: no shutdown hook, no graceful stop — a crash. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public String readLog() {
        try {
            StringBuilder all = new StringBuilder();
            for (int run = 1; run <= runs; run++) {
                Path file = home.resolve("darkroom-" + run + ".log");
                if (Files.exists(file)) {
                    all.append("--- run ").append(run).append('\n').append(Files.readString(file));
                }
            }
            return all.toString();
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free on the loopback now (the benchmark runs without Camel's test jars, so no AvailablePortFinder). */
    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
