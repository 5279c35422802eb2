package io.darkroom.s3;

import org.apache.camel.Service;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.net.URI;

/**
 * The one S3 client of the application, built from {@code darkroom.s3.*} on first use, so a setup
 * without S3 never touches the AWS configuration. Empty keys mean the AWS credentials of the
 * environment (variables, system properties, profile files); the cloud instance metadata address
 * is consulted only when {@code darkroom.s3.use-instance-metadata} is true. An empty endpoint means
 * AWS itself.
 */
public class S3Connection implements Service {

    private final String endpoint;
    private final String region;
    private final boolean pathStyle;
    private final String accessKey;
    private final String secretKey;
    private final boolean useInstanceMetadata;
    private S3Client client;

    public S3Connection(String endpoint, String region, boolean pathStyle, String accessKey, String secretKey) {
        this(endpoint, region, pathStyle, accessKey, secretKey, false);
    }

    public S3Connection(String endpoint, String region, boolean pathStyle, String accessKey, String secretKey, boolean useInstanceMetadata) {
        this.useInstanceMetadata = useInstanceMetadata;
        if (!useInstanceMetadata) {
            // the SDK's own switch: no part of it (credentials, region) asks the metadata address
            System.setProperty("aws.disableEc2Metadata", "true");
        }
        this.endpoint = endpoint == null ? "" : endpoint.trim();
        this.region = region == null || region.isBlank() ? "us-east-1" : region.trim();
        this.pathStyle = pathStyle;
        this.accessKey = accessKey == null ? "" : accessKey.trim();
        this.secretKey = secretKey == null ? "" : secretKey.trim();
    }

    public synchronized S3Client client() {
        if (client == null) {
            S3ClientBuilder builder = S3Client.builder()
                    .httpClientBuilder(ApacheHttpClient.builder())
                    .region(Region.of(region))
                    .forcePathStyle(pathStyle)
                    .credentialsProvider(credentials());
            if (!endpoint.isEmpty()) {
                builder.endpointOverride(URI.create(endpoint));
            }
            client = builder.build();
        }
        return client;
    }

    private AwsCredentialsProvider credentials() {
        if (accessKey.isEmpty()) {
            if (useInstanceMetadata) {
                return DefaultCredentialsProvider.builder().build();
            }
            return AwsCredentialsProviderChain.of(EnvironmentVariableCredentialsProvider.create(),
                    SystemPropertyCredentialsProvider.create(), ProfileCredentialsProvider.create());
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    /** Where requests go, for log lines and error messages (never the keys). */
    public String describe() {
        return endpoint.isEmpty() ? "AWS S3 (" + region + ")" : endpoint;
    }

    @Override
    public void start() {
    }

    @Override
    public synchronized void stop() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
