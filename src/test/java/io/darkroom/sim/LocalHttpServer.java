package io.darkroom.sim;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A simulator's HTTP server on 127.0.0.1: a small pool of handler threads, and a timer for answers
 * that come later (slow models, held requests) so no handler thread waits.
 *
 * <p>Global state: {@link #start} sets {@code sun.net.httpserver.nodelay=true} when unset, because
 * the JDK server otherwise stalls small responses for about 40 ms.
 */
final class LocalHttpServer {

    private final String name;
    private HttpServer server;
    private ExecutorService handlerThreads;
    private ScheduledExecutorService timer;

    /** {@code name} prefixes the thread names, e.g. atlas-sim. */
    LocalHttpServer(String name) {
        this.name = name;
    }

    synchronized void start(int port, HttpHandler handler) throws IOException {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        handlerThreads = Executors.newFixedThreadPool(8, new DaemonThreads(name + "-http"));
        timer = Executors.newSingleThreadScheduledExecutor(new DaemonThreads(name + "-timer"));
        server.setExecutor(handlerThreads);
        server.createContext("/", handler);
        server.start();
    }

    /** Stops the server; false when it was not running. */
    synchronized boolean stop() {
        if (server == null) {
            return false;
        }
        server.stop(0);
        timer.shutdownNow();
        handlerThreads.shutdownNow();
        server = null;
        return true;
    }

    synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT} */
    String host() {
        return "http://127.0.0.1:" + port();
    }

    /** Runs a task on a handler thread after a delay, without holding any thread meanwhile. */
    void later(Runnable task, long delayMillis) {
        timer.schedule(() -> handlerThreads.execute(task), delayMillis, TimeUnit.MILLISECONDS);
    }
}
