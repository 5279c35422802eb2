package io.darkroom.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local HTTP simulator of OpenAI's {@code POST /v1/images/edits} (base {@code /v1}), faithful to
 * docs/providers.md: multipart only, {@code image} or repeated {@code image[]} file parts with
 * explicit image Content-Types, per-model size rules, synchronous answers with base64 images and
 * {@code usage}, and the headers {@code x-request-id}, {@code openai-processing-ms} and
 * {@code x-ratelimit-{limit,remaining,reset}-requests} (reported from a one-minute window, never enforced).
 *
 * <p>Fault markers, written anywhere in the prompt, applied after validation:
 * <ul>
 * <li>{@code [sim:moderated]} - 400 {@code moderation_blocked} / {@code image_generation_user_error}</li>
 * <li>{@code [sim:quota]} - 429 {@code insufficient_quota}</li>
 * <li>{@code [sim:rate-limit]} - the first 2 requests with that exact prompt answer 429
 *     {@code rate_limit_exceeded} with x-ratelimit-* headers and no Retry-After; later ones succeed</li>
 * <li>{@code [sim:server-error]} - 500 {@code server_error}</li>
 * <li>{@code [sim:billing-limit]} - 400 {@code billing_hard_limit_reached}</li>
 * <li>{@code [sim:unverified-org]} - 403 "Your organization must be verified to use the model"</li>
 * </ul>
 * Not simulated: {@code stream=true} (answered 400) and the JSON request body variant (answered 400).
 * {@code GET /sim/stats} (no auth) gives the counters as JSON for a separate process.
 *
 * <p>Global state: {@link #start()} sets {@code sun.net.httpserver.nodelay=true} when unset, to avoid
 * the JDK server's 40 ms stalls on small responses.
 */
public final class OpenAiSimulator {

    /** Settings read live: changes after start() apply to later requests (the port only at start). */
    public static final class Settings {
        private volatile String apiKey = "test-openai-key";
        private volatile int port = 0;
        private volatile int requestsPerMinute = 500;
        private volatile long latencyMillis = 0;

        public String apiKey() {
            return apiKey;
        }

        public Settings setApiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey);
            return this;
        }

        /** 0 picks a free port. */
        public int port() {
            return port;
        }

        public Settings setPort(int port) {
            this.port = port;
            return this;
        }

        /** The value of x-ratelimit-limit-requests; reported only, never enforced. Default 500. */
        public int requestsPerMinute() {
            return requestsPerMinute;
        }

        public Settings setRequestsPerMinute(int requestsPerMinute) {
            this.requestsPerMinute = requestsPerMinute;
            return this;
        }

        /** Added before every edit answer, to mimic generation time without blocking a thread. Default 0. */
        public long latencyMillis() {
            return latencyMillis;
        }

        public Settings setLatencyMillis(long latencyMillis) {
            this.latencyMillis = latencyMillis;
            return this;
        }
    }

    private static final int MAX_BODY_BYTES = 128 * 1024 * 1024;
    private static final String EDITS_PATH = "/v1/images/edits";
    private static final String URL_IMAGES_PREFIX = "/sim/images/";

    private final Settings settings;
    private final OpenAiEditValidator validator = new OpenAiEditValidator();
    private final RequestRateWindow window = new RequestRateWindow();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong unauthorized = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final Map<String, AtomicLong> requestsByPrompt = new ConcurrentHashMap<>();
    private final AtomicReference<OpenAiEditRequest> lastRequest = new AtomicReference<>();
    /** dall-e-2 response_format=url images, served under /sim/images/. */
    private final Map<String, byte[]> urlImages = new ConcurrentHashMap<>();
    private final long originNanos = System.nanoTime();

    private final LocalHttpServer server = new LocalHttpServer("openai-sim");

    public OpenAiSimulator(Settings settings) {
        this.settings = Objects.requireNonNull(settings);
    }

    public Settings settings() {
        return settings;
    }

    public synchronized OpenAiSimulator start() throws IOException {
        server.start(settings.port(), this::handle);
        return this;
    }

    public synchronized void stop() {
        server.stop();
    }

    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:PORT/v1} */
    public String baseUrl() {
        return host() + "/v1";
    }

    private String host() {
        return server.host();
    }

    /** Authenticated edit requests received, whatever their answer. */
    public long requestCount() {
        return requests.get();
    }

    /** Authenticated edit requests whose multipart body carried exactly this prompt. */
    public long requestCountForPrompt(String prompt) {
        AtomicLong count = requestsByPrompt.get(prompt);
        return count == null ? 0 : count.get();
    }

    /** 429 rate_limit_exceeded answers sent (insufficient_quota 429s are not rate limiting and not counted). */
    public long rateLimitedCount() {
        return rateLimited.get();
    }

    public long unauthorizedCount() {
        return unauthorized.get();
    }

    /** 200 answers sent. */
    public long successCount() {
        return succeeded.get();
    }

    /** The last authenticated edit request whose multipart body parsed, or null. */
    private final java.util.List<OpenAiEditRequest> parsedRequests = new java.util.concurrent.CopyOnWriteArrayList<>();

    public OpenAiEditRequest lastRequest() {
        return lastRequest.get();
    }

    /** Every authenticated edit request whose multipart body parsed, in arrival order. */
    public java.util.List<OpenAiEditRequest> requests() {
        return java.util.List.copyOf(parsedRequests);
    }

    public void reset() {
        parsedRequests.clear();
        requests.set(0);
        rateLimited.set(0);
        unauthorized.set(0);
        succeeded.set(0);
        requestsByPrompt.clear();
        lastRequest.set(null);
        urlImages.clear();
        window.clear();
    }

    private long now() {
        return (System.nanoTime() - originNanos) / 1_000_000;
    }

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        exchange.getResponseHeaders().set("x-request-id", "req_" + randomHex(16));
        HttpReply reply;
        try {
            reply = route(exchange);
        } catch (Exception e) {
            reply = OpenAiErrors.reply(500, "simulator error: " + e, "server_error", null, null);
        }
        boolean isEdit = exchange.getRequestURI().getPath().equals(EDITS_PATH) && reply.status() != 401;
        long latency = isEdit ? settings.latencyMillis() : 0;
        HttpReply answer = reply;
        Runnable send = () -> {
            answer.header("openai-processing-ms", Long.toString((System.nanoTime() - started) / 1_000_000));
            try {
                answer.sendTo(exchange);
            } catch (IOException | RuntimeException e) {
                exchange.close();
            }
        };
        if (latency > 0) {
            // Delay on a timer, so a slow simulated model does not hold one of the handler threads.
            server.later(send, latency);
        } else {
            send.run();
        }
    }

    private HttpReply route(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (method.equals("GET") && path.equals("/sim/stats")) {
            return stats();
        }
        if (method.equals("GET") && path.startsWith(URL_IMAGES_PREFIX)) {
            byte[] image = urlImages.get(path.substring(URL_IMAGES_PREFIX.length()));
            return image == null ? HttpReply.text(404, "not found") : HttpReply.bytes(200, "image/png", image);
        }
        if (!authorized(exchange)) {
            unauthorized.incrementAndGet();
            return OpenAiErrors.reply(401, "Incorrect API key provided", "invalid_request_error", null, "invalid_api_key");
        }
        if (method.equals("POST") && path.equals(EDITS_PATH)) {
            return withRateHeaders(edit(exchange));
        }
        return OpenAiErrors.reply(404, "Invalid URL (" + method + " " + path + ")", "invalid_request_error", null, null);
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && header.substring(7).trim().equals(settings.apiKey());
    }

    private HttpReply edit(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        window.record(now());
        byte[] raw = BoundedBody.read(exchange, MAX_BODY_BYTES);
        if (raw == null) {
            return OpenAiErrors.reply(413, "Request too large.", "invalid_request_error", null, null);
        }
        MultipartForm form;
        try {
            form = MultipartForm.parse(exchange.getRequestHeaders().getFirst("Content-Type"), raw);
        } catch (IllegalArgumentException e) {
            return OpenAiErrors.reply(400, "Could not parse multipart form: " + e.getMessage(),
                    "invalid_request_error", null, null);
        }
        OpenAiEditRequest recorded = OpenAiEditRequest.of(form, exchange.getRequestHeaders());
        lastRequest.set(recorded);
        parsedRequests.add(recorded);
        String prompt = recorded.field("prompt");
        long promptRequests = 0;
        if (prompt != null) {
            promptRequests = requestsByPrompt.computeIfAbsent(prompt, p -> new AtomicLong()).incrementAndGet();
        }
        OpenAiEditSpec spec;
        try {
            spec = validator.validate(form);
        } catch (RejectedRequest e) {
            return OpenAiErrors.invalidRequest(e);
        }
        Set<OpenAiFault> faults = OpenAiFault.in(spec.prompt());
        if (faults.contains(OpenAiFault.MODERATED)) {
            return OpenAiErrors.reply(400, "Your request was rejected by the safety system. safety_violations=[violence]",
                    "image_generation_user_error", null, "moderation_blocked");
        }
        if (faults.contains(OpenAiFault.QUOTA)) {
            return OpenAiErrors.reply(429, "You exceeded your current quota, please check your plan and billing details.",
                    "insufficient_quota", null, "insufficient_quota");
        }
        if (faults.contains(OpenAiFault.RATE_LIMIT) && promptRequests <= 2) {
            rateLimited.incrementAndGet();
            return OpenAiErrors.reply(429, "Rate limit reached for requests", "requests", null, "rate_limit_exceeded")
                    .header("x-ratelimit-remaining-requests", "0");
        }
        if (faults.contains(OpenAiFault.BILLING_LIMIT)) {
            return OpenAiErrors.reply(400, "Billing hard limit has been reached", "invalid_request_error", null,
                    "billing_hard_limit_reached");
        }
        if (faults.contains(OpenAiFault.UNVERIFIED_ORG)) {
            return OpenAiErrors.reply(403, "Your organization must be verified to use the model `" + spec.model()
                    + "`. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization.",
                    "invalid_request_error", null, null);
        }
        if (faults.contains(OpenAiFault.SERVER_ERROR)) {
            return OpenAiErrors.reply(500, "The server had an error while processing your request. Sorry about that!",
                    "server_error", null, null);
        }
        succeeded.incrementAndGet();
        return OpenAiEditResult.reply(spec, randomHex(8), System.currentTimeMillis() / 1000, (name, bytes) -> {
            urlImages.put(name, bytes);
            return host() + URL_IMAGES_PREFIX + name;
        });
    }

    /** Adds x-ratelimit-*-requests; a header the reply already set (remaining=0 on a 429) wins. */
    private HttpReply withRateHeaders(HttpReply reply) {
        long now = now();
        int limit = settings.requestsPerMinute();
        return reply.headerIfAbsent("x-ratelimit-limit-requests", Integer.toString(limit))
                .headerIfAbsent("x-ratelimit-remaining-requests", Integer.toString(Math.max(0, limit - window.count(now))))
                .headerIfAbsent("x-ratelimit-reset-requests", RequestRateWindow.goDuration(window.millisUntilReset(now)));
    }

    private HttpReply stats() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("requests", requests.get());
        body.put("succeeded", succeeded.get());
        body.put("rateLimited", rateLimited.get());
        body.put("unauthorized", unauthorized.get());
        return HttpReply.json(200, body);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /**
     * Runs the simulator for a separate process: {@code --port N --api-key K [--latency-millis N]
     * [--requests-per-minute N]}. Prints one line {@code openai-simulator listening on <baseUrl>} and
     * runs until killed.
     */
    public static void main(String[] args) throws Exception {
        SimulatorArgs options = SimulatorArgs.parse(args,
                Set.of("--port", "--api-key", "--latency-millis", "--requests-per-minute"));
        Settings defaults = new Settings();
        Settings settings = new Settings()
                .setPort(options.integer("--port", defaults.port()))
                .setApiKey(options.text("--api-key", defaults.apiKey()))
                .setLatencyMillis(options.longInteger("--latency-millis", defaults.latencyMillis()))
                .setRequestsPerMinute(options.integer("--requests-per-minute", defaults.requestsPerMinute()));
        OpenAiSimulator simulator = new OpenAiSimulator(settings).start();
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::stop, "openai-sim-shutdown"));
        System.out.println("openai-simulator listening on " + simulator.baseUrl());
        System.out.flush();
        new CountDownLatch(1).await(); // until killed; stdin is not read
    }
}
