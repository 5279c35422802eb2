package io.darkroom.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A local HTTP simulator of the Atlas Cloud unified media API (base path {@code /api/v1}), faithful
 * to the wire facts in docs/providers.md, not to any client's assumptions.
 *
 * <p>Endpoints: {@code POST /api/v1/model/generateImage} (flat JSON, per-model validation, sync
 * mode, base64 output), {@code GET /api/v1/model/prediction/{id}}, {@code POST
 * /api/v1/model/uploadMedia} (multipart field {@code file}); output and upload files under {@code
 * /files/...} (no auth, like Atlas' storage URLs); {@code GET /sim/stats} (no auth; counters as
 * JSON for a benchmark running in another process). Every response carries {@code X-Request-ID}.
 * A wrong or missing key, and any unknown path, answer 401: Atlas authenticates before routing.
 *
 * <p>A job is in flight from submit until {@code jobMillis} have passed; its status is computed
 * from that time, never by sleeping. A submit while {@code concurrencyCap} jobs are in flight
 * answers 429 with no Retry-After and no X-RateLimit headers, and creates no job.
 *
 * <p>Fault markers, written anywhere in a job's prompt (they combine):
 * <ul>
 * <li>{@code [sim:moderated]} - when done, polls answer 200, status "failed", error "content moderation", error_code 1039</li>
 * <li>{@code [sim:failed-500]} - when done, polls answer HTTP 500 {@code {"code":500,"message":..,"data":{"status":"failed","error":"internal model error"}}}</li>
 * <li>{@code [sim:malformed]} - every poll answers 200 with truncated JSON</li>
 * <li>{@code [sim:unknown-status]} - when done, polls answer status "paused-for-review"</li>
 * <li>{@code [sim:slow]} - never completes; stays "processing" and in flight until reset()/stop()</li>
 * <li>{@code [sim:output-404]} - completes, but its output URLs answer 404</li>
 * <li>{@code [sim:poll-429]} - the first 2 polls answer 429 without Retry-After</li>
 * <li>{@code [sim:poll-429-retry-after]} - the first poll answers 429 with {@code Retry-After: 1}</li>
 * <li>{@code [sim:poll-503]} - the first 2 polls answer 503</li>
 * <li>{@code [sim:not-found-first]} - the first poll answers 404 (prediction not yet visible)</li>
 * <li>{@code [sim:submit-500]} - the submit answers 500, yet the job IS created and billed</li>
 * <li>{@code [sim:submit-hang]} - the submit never answers (held open until stop()); the job is created on arrival</li>
 * <li>{@code [sim:out-of-credit]} - the submit answers 402 "insufficient balance"; no job</li>
 * <li>{@code [sim:nsfw-empty]} - finishes with the success status, no outputs and has_nsfw_contents [true]</li>
 * <li>{@code [sim:error-object]} - finishes "failed" with error as an object {code, message}</li>
 * <li>{@code [sim:fewer-outputs]} - finishes with one output fewer than asked (at least one)</li>
 * </ul>
 * Settings switch the whole simulator to other documented forms: the success status ("success"),
 * outputs as objects {url} or in data.output, a data.price per output. Submits are validated
 * against per-model schemas ({@link AtlasModelSchemas}, from docs/providers.md), which {@code GET
 * /api/v1/models} and {@code GET /schemas/<model>} publish without a key; {@link #changeSchema}
 * plays a provider changing a model, {@link #violations()} lists every refused submit.
 * See {@link AtlasFault} for the same list as constants.
 *
 * <p>Global state: {@link #start()} sets the system property {@code sun.net.httpserver.nodelay=true}
 * when it is unset, because the JDK server otherwise stalls small responses for about 40 ms.
 */
public final class AtlasSimulator {

    /** The forms of a finished prediction's outputs seen in Atlas' clients. */
    public enum OutputForm { STRINGS, OBJECTS, OUTPUT_FIELD }

    /** Settings read live: changes after start() apply to later requests (the port only at start). */
    public static final class Settings {
        private volatile String apiKey = "test-atlas-key";
        private volatile long jobMillis = 300;
        private volatile int concurrencyCap = 1000;
        private volatile int port = 0;
        private volatile String successStatus = "completed";
        private volatile long syncMaxWaitMillis = 30_000;
        private volatile boolean recordSubmits = true;
        private volatile int requestsPerSecondCap = 0;
        private volatile java.util.function.LongSupplier latency;
        private volatile Double price;
        private volatile boolean history = true;

        /** Whether GET /api/v1/model/history lists the jobs created (default true); false answers an empty history. */
        public boolean history() {
            return history;
        }

        public Settings setHistory(boolean history) {
            this.history = history;
            return this;
        }

        private volatile OutputForm outputForm = OutputForm.STRINGS;

        /** Price per output reported in data.price of finished jobs; null (default) sends none. */
        public Double price() {
            return price;
        }

        public Settings setPrice(Double price) {
            this.price = price;
            return this;
        }

        /** How outputs are given (docs/providers.md): strings in data.outputs (default), objects {url}, or data.output. */
        public OutputForm outputForm() {
            return outputForm;
        }

        public Settings setOutputForm(OutputForm outputForm) {
            this.outputForm = Objects.requireNonNull(outputForm);
            return this;
        }

        public String apiKey() {
            return apiKey;
        }

        /** Most authenticated requests accepted in any second; beyond it 429 with no Retry-After; 0 (default): no cap. */
        public Settings setRequestsPerSecondCap(int requestsPerSecondCap) {
            this.requestsPerSecondCap = requestsPerSecondCap;
            return this;
        }

        /** Each new job's duration from this supplier instead of the fixed jobMillis. */
        public Settings setLatency(java.util.function.LongSupplier latency) {
            this.latency = latency;
            return this;
        }

        long nextJobMillis() {
            java.util.function.LongSupplier supplier = latency;
            return supplier == null ? jobMillis : supplier.getAsLong();
        }

        public Settings setApiKey(String apiKey) {
            this.apiKey = Objects.requireNonNull(apiKey);
            return this;
        }

        /** How long a job stays in progress (and in flight) after its submit; default 300. */
        public long jobMillis() {
            return jobMillis;
        }

        public Settings setJobMillis(long jobMillis) {
            this.jobMillis = jobMillis;
            return this;
        }

        /** Most jobs in flight at once; a submit beyond it gets 429; default 1000. */
        public int concurrencyCap() {
            return concurrencyCap;
        }

        public Settings setConcurrencyCap(int concurrencyCap) {
            this.concurrencyCap = concurrencyCap;
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

        /** The success status string: "completed" (documented) or "succeeded" (also seen). */
        public String successStatus() {
            return successStatus;
        }

        public Settings setSuccessStatus(String successStatus) {
            this.successStatus = Objects.requireNonNull(successStatus);
            return this;
        }

        /** Longest a sync-mode submit is held before it answers 504 (Atlas' "switch to async"); default 30000. */
        public long syncMaxWaitMillis() {
            return syncMaxWaitMillis;
        }

        public Settings setSyncMaxWaitMillis(long syncMaxWaitMillis) {
            this.syncMaxWaitMillis = syncMaxWaitMillis;
            return this;
        }

        /**
         * Whether every submit is kept for {@link #submits()}; default true. A benchmark sending
         * thousands of multi-megabyte submits turns it off, or the bodies fill the simulator's heap.
         */
        public boolean recordSubmits() {
            return recordSubmits;
        }

        public Settings setRecordSubmits(boolean recordSubmits) {
            this.recordSubmits = recordSubmits;
            return this;
        }
    }

    private static final int MAX_BODY_BYTES = 50 * 1024 * 1024; // Atlas answers 413 above 50 MB
    private static final String SUBMIT_PATH = "/api/v1/model/generateImage";
    private static final String POLL_PREFIX = "/api/v1/model/prediction/";
    private static final String UPLOAD_PATH = "/api/v1/model/uploadMedia";
    private static final String UPLOADED_PREFIX = "/files/uploads/";
    private static final String MODELS_PATH = "/api/v1/models";
    private static final String HISTORY_PATH = "/api/v1/model/history";
    private static final String SCHEMA_PREFIX = "/schemas/";

    private final Settings settings;
    private final ObjectMapper mapper = new ObjectMapper();
    /** The models served, with the schemas they validate against; a test may change one (drift). */
    private final Map<String, AtlasModelSchemas.Rules> models = new ConcurrentHashMap<>(AtlasModelSchemas.all());
    private final AtlasSubmitValidator validator = new AtlasSubmitValidator(models);
    private final List<String> violations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtlasCounters counters = new AtlasCounters();
    private final InFlightJobs inFlight = new InFlightJobs();
    private final TrafficLog traffic = new TrafficLog();
    /** Durations of the created jobs when latencies are drawn, for a benchmark's ideal schedule. */
    private final java.util.Queue<Long> drawnDurations = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final UploadedFiles uploads = new UploadedFiles();
    private final Map<String, AtlasJob> jobs = new ConcurrentHashMap<>();
    /** Exchanges answered later (sync mode) or never (submit-hang); closed by stop(). */
    private final Set<HttpExchange> heldExchanges = ConcurrentHashMap.newKeySet();
    private final AtomicLong jobSequence = new AtomicLong();
    private final long originNanos = System.nanoTime();

    private final LocalHttpServer server = new LocalHttpServer("atlas-sim");
    private AtlasPredictionReplies replies;

    public AtlasSimulator(Settings settings) {
        this.settings = Objects.requireNonNull(settings);
    }

    public Settings settings() {
        return settings;
    }

    public synchronized AtlasSimulator start() throws IOException {
        server.start(settings.port(), this::handle);
        replies = new AtlasPredictionReplies(host(), baseUrl(), settings);
        return this;
    }

    public synchronized void stop() {
        if (!server.stop()) {
            return;
        }
        for (HttpExchange exchange : heldExchanges) {
            try {
                exchange.close(); // a held submit ends without an answer, as a dropped connection would
            } catch (RuntimeException ignored) {
                // already closed by server.stop()
            }
        }
        heldExchanges.clear();
    }

    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:PORT/api/v1} */
    public String baseUrl() {
        return host() + "/api/v1";
    }

    private String host() {
        return server.host();
    }

    /** Authenticated submit requests received, whatever their answer (400, 402, 429, 500, hang, 200). */
    public long submitCount() {
        return counters.submits();
    }

    public long submitCountForPrompt(String prompt) {
        return counters.submitsForPrompt(prompt);
    }

    /** Jobs created, i.e. billed: includes submit-500 and submit-hang jobs, excludes 4xx and 429 submits. */
    public long jobsCreatedCount() {
        return counters.jobsCreated();
    }

    /** Authenticated prediction GETs received, whatever their answer. */
    public long pollCount() {
        return counters.polls();
    }

    public long pollCountForPrompt(String prompt) {
        return counters.pollsForPrompt(prompt);
    }

    /** 429 answers sent: concurrency-cap submits and poll-429 faults. */
    public long rateLimitedCount() {
        return counters.rateLimited();
    }

    /** 401 answers sent (bad or missing key, unknown path). */
    public long unauthorizedCount() {
        return counters.unauthorized();
    }

    /** History lookups received. */
    public long historyLookupCount() {
        return counters.historyLookups();
    }

    public long uploadCount() {
        return counters.uploads();
    }

    /** Output images served with 200. */
    public long downloadCount() {
        return counters.downloads();
    }

    /** The most authenticated requests that arrived within any one second. */
    public int maxRequestsInAnySecond() {
        return traffic.maxInAnySecond();
    }

    /** The shortest time between two polls of one job (Long.MAX_VALUE when none was polled twice). */
    public long minPollGapMillis() {
        return traffic.minPollGapMillis();
    }

    /** 429s for too many jobs in flight, and for too many requests a second. */
    public long capacityRefusedCount() {
        return traffic.capacityRefused();
    }

    public long rateRefusedCount() {
        return traffic.rateRefused();
    }

    public int maxInFlightSeen() {
        return inFlight.maxSeen();
    }

    public int inFlight() {
        return inFlight.count(now());
    }

    /** Ends every running job now (a test that needed them all in flight at once is done waiting). */
    public void finishRunningJobs() {
        long now = now();
        jobs.values().forEach(job -> job.finishBy(now));
        inFlight.finishBy(now);
    }

    /** Every authenticated submit in arrival order, with headers and parsed body. */
    public List<RecordedSubmit> submits() {
        return counters.recordedSubmits();
    }

    /** The parsed JSON bodies of the authenticated submits, in arrival order (non-JSON bodies left out). */
    public List<JsonNode> submittedBodies() {
        return counters.recordedSubmits().stream().map(RecordedSubmit::body).filter(Objects::nonNull).toList();
    }

    /** Headers of the last authenticated submit (case-insensitive keys), or an empty map. */
    public Map<String, List<String>> lastSubmitHeaders() {
        List<RecordedSubmit> all = counters.recordedSubmits();
        return all.isEmpty() ? Map.of() : all.get(all.size() - 1).headers();
    }

    /**
     * Submits refused by validation (unknown field, wrong type, out of range, unknown model), each as
     * the message sent back; empty when every request fit its model's schema.
     */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Changes a model's published schema, and what the simulator accepts with it: the provider changed the model. */
    public void changeSchema(String model, java.util.function.Consumer<ObjectNode> input) {
        AtlasModelSchemas.Rules rules = models.get(model);
        ObjectNode changed = rules.input().deepCopy();
        input.accept(changed);
        models.put(model, new AtlasModelSchemas.Rules(changed, rules.size(), rules.minSide(), rules.maxSide(), rules.alsoAccepted()));
    }

    /** Forgets jobs, uploads and counters, and restores every model's schema. Held (hanging) submits stay held until stop(). */
    public void reset() {
        models.clear();
        models.putAll(AtlasModelSchemas.all());
        violations.clear();
        counters.clear();
        traffic.clear();
        jobs.clear();
        inFlight.clear();
        uploads.clear();
    }

    private long now() {
        return (System.nanoTime() - originNanos) / 1_000_000;
    }

    private void handle(HttpExchange exchange) {
        String requestId = randomHex(16);
        exchange.getResponseHeaders().set("X-Request-ID", requestId);
        try {
            HttpReply reply = route(exchange, requestId);
            if (reply != null) {
                reply.sendTo(exchange);
            }
        } catch (Exception e) {
            try {
                AtlasErrors.reply(500, "simulator error: " + e, requestId).sendTo(exchange);
            } catch (IOException | RuntimeException ignored) {
                exchange.close(); // the client went away; nothing left to tell it
            }
        }
    }

    /** Returns the answer, or null when the exchange is answered later (or never). */
    private HttpReply route(HttpExchange exchange, String requestId) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        if (method.equals("GET") && path.equals("/sim/stats")) {
            return stats();
        }
        if (method.equals("GET") && path.startsWith(UPLOADED_PREFIX)) {
            return uploadedFile(path.substring(UPLOADED_PREFIX.length()));
        }
        if (method.equals("GET") && path.startsWith("/files/")) {
            return outputFile(path);
        }
        // the model list and the schema documents need no key (docs/providers.md)
        if (method.equals("GET") && path.equals(MODELS_PATH)) {
            return modelList();
        }
        if (method.equals("GET") && path.startsWith(SCHEMA_PREFIX)) {
            AtlasModelSchemas.Rules rules = models.get(path.substring(SCHEMA_PREFIX.length()));
            return rules == null ? HttpReply.text(404, "not found")
                    : HttpReply.json(200, AtlasModelSchemas.document(path.substring(SCHEMA_PREFIX.length()), rules.input()));
        }
        if (!authorized(exchange)) {
            counters.unauthorizedSent();
            return AtlasErrors.reply(401, "unauthorized", requestId);
        }
        if (!traffic.request(now(), settings.requestsPerSecondCap)) {
            counters.rateLimitedSent();
            return AtlasErrors.reply(429, "rate limited", requestId); // an account's request limit: no Retry-After either
        }
        if (method.equals("POST") && path.equals(SUBMIT_PATH)) {
            return submit(exchange, requestId);
        }
        if (method.equals("GET") && path.startsWith(POLL_PREFIX) && path.indexOf('/', POLL_PREFIX.length()) < 0
                && path.length() > POLL_PREFIX.length()) {
            return poll(path.substring(POLL_PREFIX.length()), requestId);
        }
        if (method.equals("GET") && path.equals(HISTORY_PATH)) {
            return history(exchange.getRequestURI().getRawQuery());
        }
        if (method.equals("POST") && path.equals(UPLOAD_PATH)) {
            return upload(exchange, requestId);
        }
        // Atlas authenticates before routing and answers 401 for a wrong path (docs/providers.md).
        counters.unauthorizedSent();
        return AtlasErrors.reply(401, "unauthorized", requestId);
    }

    private boolean authorized(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && header.substring(7).trim().equals(settings.apiKey());
    }

    private HttpReply submit(HttpExchange exchange, String requestId) throws IOException {
        byte[] raw = BoundedBody.read(exchange, MAX_BODY_BYTES);
        if (raw == null) {
            return AtlasErrors.reply(413, "request body is larger than 50 MB: send URLs or upload first", requestId);
        }
        JsonNode body;
        try {
            body = mapper.readTree(raw);
        } catch (IOException e) {
            body = null;
        }
        if (body != null && body.isMissingNode()) {
            body = null;
        }
        counters.submitArrived(new RecordedSubmit(exchange.getRequestHeaders(), body), settings.recordSubmits());
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            return AtlasErrors.reply(400, "Content-Type must be application/json", requestId);
        }
        if (body == null) {
            return AtlasErrors.reply(400, "request body is not valid JSON", requestId);
        }
        try {
            validator.validate(body);
        } catch (RejectedRequest e) {
            violations.add(e.getMessage());
            return AtlasErrors.reply(e.status(), e.getMessage(), requestId);
        }
        String prompt = body.get("prompt").asText();
        Set<AtlasFault> faults = AtlasFault.in(prompt);
        if (faults.contains(AtlasFault.OUT_OF_CREDIT)) {
            return AtlasErrors.reply(402, "insufficient balance", requestId);
        }
        long now = now();
        AtlasJob job = newJob(body, prompt, faults, now);
        if (!inFlight.tryAdmit(now, job.finishMillis(), settings.concurrencyCap())) {
            counters.rateLimitedSent();
            traffic.capacityRefusal();
            return AtlasErrors.reply(429, "rate limited", requestId); // no Retry-After: docs/providers.md
        }
        jobs.put(job.id(), job);
        counters.jobCreated();
        if (settings.latency != null) {
            drawnDurations.add(job.finishMillis() - now);
        }
        if (faults.contains(AtlasFault.SUBMIT_HANG)) {
            heldExchanges.add(exchange);
            return null;
        }
        if (faults.contains(AtlasFault.SUBMIT_500)) {
            return AtlasErrors.reply(500, "internal server error", requestId);
        }
        if (job.syncMode()) {
            answerWhenDone(exchange, job, requestId);
            return null;
        }
        return replies.submitted(job, now);
    }

    private AtlasJob newJob(JsonNode body, String prompt, Set<AtlasFault> faults, long now) {
        JsonNode count = body.has("num_images") ? body.get("num_images") : body.get("max_images");
        String format = "jpeg".equals(body.path("output_format").asText()) ? "jpeg" : "png";
        return new AtlasJob(randomHex(16), body.get("model").asText(), prompt, faults,
                count == null ? 1 : count.asInt(), format,
                body.path("enable_base64_output").asBoolean(false), body.path("enable_sync_mode").asBoolean(false),
                now, settings.nextJobMillis(), jobSequence.incrementAndGet() % 2 == 0);
    }

    /** Sync mode: the reply is sent by a timer when the job is done, so no handler thread waits. */
    private void answerWhenDone(HttpExchange exchange, AtlasJob job, String requestId) {
        heldExchanges.add(exchange);
        long maxWait = settings.syncMaxWaitMillis();
        long wait = job.finishMillis() == InFlightJobs.NEVER ? Long.MAX_VALUE : job.finishMillis() - now();
        if (wait > maxWait) {
            sendLater(exchange, maxWait, () -> AtlasErrors.reply(504,
                    "sync mode wait exceeded: submit without enable_sync_mode and poll", requestId));
        } else {
            sendLater(exchange, Math.max(0, wait), () -> replies.at(job, Math.max(now(), job.finishMillis())));
        }
    }

    private void sendLater(HttpExchange exchange, long delayMillis, Supplier<HttpReply> reply) {
        server.later(() -> {
            if (heldExchanges.remove(exchange)) {
                try {
                    reply.get().sendTo(exchange);
                } catch (IOException | RuntimeException e) {
                    exchange.close();
                }
            }
        }, delayMillis);
    }

    private HttpReply poll(String id, String requestId) {
        AtlasJob job = jobs.get(id);
        counters.pollArrived(job == null ? null : job.prompt());
        if (job == null) {
            return AtlasErrors.reply(404, "prediction not found: " + id, requestId);
        }
        traffic.poll(id, now());
        int pollNumber = job.countPoll();
        if (job.has(AtlasFault.NOT_FOUND_FIRST) && pollNumber == 1) {
            return AtlasErrors.reply(404, "prediction not found: " + id, requestId);
        }
        if (job.has(AtlasFault.POLL_429_RETRY_AFTER) && pollNumber == 1) {
            counters.rateLimitedSent();
            return AtlasErrors.reply(429, "rate limited", requestId).header("Retry-After", "1");
        }
        if (job.has(AtlasFault.POLL_429) && pollNumber <= 2) {
            counters.rateLimitedSent();
            return AtlasErrors.reply(429, "rate limited", requestId);
        }
        if (job.has(AtlasFault.POLL_503) && pollNumber <= 2) {
            return AtlasErrors.reply(503, "service temporarily unavailable", requestId);
        }
        return replies.at(job, now());
    }

    private HttpReply upload(HttpExchange exchange, String requestId) throws IOException {
        byte[] raw = BoundedBody.read(exchange, MAX_BODY_BYTES);
        if (raw == null) {
            return AtlasErrors.reply(413, "request body is larger than 50 MB", requestId);
        }
        MultipartForm form;
        try {
            form = MultipartForm.parse(exchange.getRequestHeaders().getFirst("Content-Type"), raw);
        } catch (IllegalArgumentException e) {
            return AtlasErrors.reply(400, e.getMessage(), requestId);
        }
        MultipartForm.Part file = form.first("file").orElse(null);
        if (file == null || file.filename() == null) {
            return AtlasErrors.reply(400, "multipart field 'file' (a file part) is required", requestId);
        }
        UploadedFiles.Stored stored = uploads.store(file.filename(), file.contentType(), file.content());
        counters.uploadStored();
        ObjectNode body = mapper.createObjectNode();
        body.put("code", 200);
        body.put("message", "");
        ObjectNode data = body.putObject("data");
        data.put("download_url", host() + UPLOADED_PREFIX + stored.name());
        data.put("filename", stored.originalFilename());
        data.put("size", stored.content().length);
        return HttpReply.json(200, body);
    }

    private HttpReply uploadedFile(String name) {
        UploadedFiles.Stored stored = uploads.get(name);
        return stored == null ? HttpReply.text(404, "not found")
                : HttpReply.bytes(200, stored.contentType(), stored.content());
    }

    private HttpReply outputFile(String path) {
        AtlasOutputs.Address address = AtlasOutputs.parse(path);
        AtlasJob job = address == null ? null : jobs.get(address.jobId());
        if (job == null || !job.succeededAt(now()) || job.has(AtlasFault.OUTPUT_404)
                || address.index() < 1 || address.index() > job.outputCount()
                || !address.extension().equals(job.outputFormat())) {
            return HttpReply.text(404, "not found");
        }
        counters.downloadServed();
        return HttpReply.bytes(200, GeneratedImage.contentType(job.outputFormat()), AtlasOutputs.bytes(job, address.index()));
    }

    /**
     * The prediction history as Atlas' MCP server reads it (docs/providers.md): {@code no} (page) and
     * {@code size}, filtered by {@code model}; newest first; items carry ID, model, status,
     * createdAt (epoch seconds as a string), requestBody (a JSON string) and result.
     */
    private HttpReply history(String query) {
        Map<String, String> params = new java.util.HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        counters.historyLookedUp();
        int size = Math.min(50, Integer.parseInt(params.getOrDefault("size", "10")));
        int page = Math.max(1, Integer.parseInt(params.getOrDefault("no", "1")));
        List<AtlasJob> matching = !settings.history() ? List.of() : jobs.values().stream()
                .filter(j -> !params.containsKey("model") || j.model().equals(params.get("model")))
                .sorted(java.util.Comparator.comparing(AtlasJob::createdAt).reversed()).toList();
        ObjectNode body = mapper.createObjectNode();
        body.put("code", 200);
        body.put("message", "");
        ObjectNode data = body.putObject("data");
        data.put("total", matching.size());
        com.fasterxml.jackson.databind.node.ArrayNode items = data.putArray("items");
        long now = now();
        for (AtlasJob job : matching.stream().skip((long) (page - 1) * size).limit(size).toList()) {
            ObjectNode item = items.addObject();
            item.put("ID", job.id());
            item.put("model", job.model());
            item.put("status", job.statusAt(now, settings.successStatus()));
            item.put("createdAt", String.valueOf(job.createdAt().getEpochSecond()));
            ObjectNode request = mapper.createObjectNode().put("model", job.model()).put("prompt", job.prompt());
            item.put("requestBody", request.toString());
        }
        return HttpReply.json(200, body);
    }

    private HttpReply modelList() {
        ObjectNode body = mapper.createObjectNode();
        body.put("code", 200);
        body.put("message", "");
        com.fasterxml.jackson.databind.node.ArrayNode data = body.putArray("data");
        for (String model : new java.util.TreeSet<>(models.keySet())) {
            ObjectNode entry = data.addObject();
            entry.put("model", model);
            entry.put("displayName", model);
            entry.put("type", "Image");
            entry.put("schema", host() + SCHEMA_PREFIX + model);
        }
        return HttpReply.json(200, body);
    }

    private HttpReply stats() {
        ObjectNode body = mapper.createObjectNode();
        body.put("submits", counters.submits());
        body.put("polls", counters.polls());
        body.put("rateLimited", counters.rateLimited());
        body.put("maxInFlightSeen", inFlight.maxSeen());
        body.put("inFlight", inFlight.count(now()));
        body.put("maxRequestsInAnySecond", traffic.maxInAnySecond());
        body.put("capacityRefused", traffic.capacityRefused());
        body.put("rateRefused", traffic.rateRefused());
        body.put("minPollGapMillis", traffic.minPollGapMillis());
        drawnDurations.forEach(body.putArray("jobDurationsMillis")::add);
        body.put("jobsCreated", counters.jobsCreated());
        body.put("unauthorized", counters.unauthorized());
        body.put("uploads", counters.uploads());
        body.put("downloads", counters.downloads());
        return HttpReply.json(200, body);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /**
     * Runs the simulator for a separate process (e.g. a benchmark): {@code --port N --job-millis N
     * --cap N --api-key K [--success-status S] [--sync-max-wait-millis N] [--record-submits true|false]
     * [--rate-cap N] [--latency-p50-millis N --latency-p95-millis N --seed N]}.
     * Prints one line {@code atlas-simulator listening on <baseUrl>} and runs until killed.
     */
    public static void main(String[] args) throws Exception {
        SimulatorArgs options = SimulatorArgs.parse(args, Set.of("--port", "--job-millis", "--cap", "--api-key",
                "--success-status", "--sync-max-wait-millis", "--record-submits", "--rate-cap", "--latency-p50-millis",
                "--latency-p95-millis", "--seed"));
        Settings defaults = new Settings();
        Settings settings = new Settings()
                .setPort(options.integer("--port", defaults.port()))
                .setJobMillis(options.longInteger("--job-millis", defaults.jobMillis()))
                .setConcurrencyCap(options.integer("--cap", defaults.concurrencyCap()))
                .setApiKey(options.text("--api-key", defaults.apiKey()))
                .setSuccessStatus(options.text("--success-status", defaults.successStatus()))
                .setSyncMaxWaitMillis(options.longInteger("--sync-max-wait-millis", defaults.syncMaxWaitMillis()))
                .setRecordSubmits(Boolean.parseBoolean(options.text("--record-submits", String.valueOf(defaults.recordSubmits()))));
        settings.setRequestsPerSecondCap(options.integer("--rate-cap", 0));
        long p50 = options.longInteger("--latency-p50-millis", 0);
        if (p50 > 0) {
            settings.setLatency(LognormalLatency.of(p50, options.longInteger("--latency-p95-millis", p50), options.longInteger("--seed", 1)));
        }
        AtlasSimulator simulator = new AtlasSimulator(settings).start();
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::stop, "atlas-sim-shutdown"));
        System.out.println("atlas-simulator listening on " + simulator.baseUrl());
        System.out.flush();
        new CountDownLatch(1).await(); // until killed; stdin is not read
    }
}
