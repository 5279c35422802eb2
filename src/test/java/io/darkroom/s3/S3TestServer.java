package io.darkroom.s3;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** An S3-compatible server in the test's JVM (s3proxy), with a client for the test's own uploads and checks. */
public final class S3TestServer implements AutoCloseable {

    static {
        // static keys and an explicit region everywhere; the SDK must never ask the cloud metadata address
        System.setProperty("aws.disableEc2Metadata", "true");
    }

    public static final String ACCESS_KEY = "darkroom-test-access";
    public static final String SECRET_KEY = "darkroom-test-secret-0123456789";

    private final S3Proxy proxy;
    private final S3Client client;

    private S3TestServer(BlobStore store) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "STARTED".equals(proxy.getState()));
        client = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .endpointOverride(URI.create(endpoint()))
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** Blobs held in memory. */
    public static S3TestServer inMemory() throws Exception {
        return new S3TestServer(new TransientNio2BlobStore());
    }

    /** Blobs held in files below {@code folder}, so large objects do not sit in the test's heap. */
    public static S3TestServer onDisk(Path folder) throws Exception {
        return new S3TestServer(new FilesystemNio2BlobStore(folder.toString()));
    }

    public String endpoint() {
        return "http://127.0.0.1:" + proxy.getPort();
    }

    public S3Client client() {
        return client;
    }

    /** The properties that point Darkroom at this server and bucket. */
    public void configure(Properties properties, String bucket) {
        properties.put("darkroom.s3.enabled", "true");
        properties.put("darkroom.s3.endpoint", endpoint());
        properties.put("darkroom.s3.region", "us-east-1");
        properties.put("darkroom.s3.path-style", "true");
        properties.put("darkroom.s3.access-key", ACCESS_KEY);
        properties.put("darkroom.s3.secret-key", SECRET_KEY);
        properties.put("darkroom.s3.bucket", bucket);
        properties.put("darkroom.s3.poll-interval", "100");
    }

    public String newBucket() {
        String bucket = "darkroom-" + UUID.randomUUID().toString().substring(0, 8);
        client.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    public void put(String bucket, String key, byte[] bytes) {
        client.putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromBytes(bytes));
    }

    public void put(String bucket, String key, String text) {
        put(bucket, key, text.getBytes(StandardCharsets.UTF_8));
    }

    public void put(String bucket, String key, Path file) {
        client.putObject(PutObjectRequest.builder().bucket(bucket).key(key).build(), RequestBody.fromFile(file));
    }

    public String text(String bucket, String key) {
        return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    /** All keys of the bucket, sorted. */
    public List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).build()).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    @Override
    public void close() throws Exception {
        client.close();
        proxy.stop();
    }
}
