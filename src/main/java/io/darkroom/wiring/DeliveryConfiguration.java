package io.darkroom.wiring;

import io.darkroom.deliver.BucketArchiver;
import io.darkroom.deliver.BucketUploads;
import io.darkroom.deliver.InputArchiver;
import io.darkroom.deliver.JobArchive;
import io.darkroom.deliver.MailArchiver;
import io.darkroom.deliver.MailReplies;
import io.darkroom.deliver.Manifest;
import io.darkroom.deliver.OutputFiles;
import io.darkroom.deliver.WebhookCalls;
import io.darkroom.deliver.WebhookSignature;
import io.darkroom.intake.MailSpool;
import io.darkroom.ledger.JobLedger;
import io.darkroom.plan.DestinationRules;
import io.darkroom.s3.BucketFolders;
import io.darkroom.s3.BucketStaging;
import io.darkroom.s3.S3Connection;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;

import java.time.Clock;

/** Delivery to each destination kind, and putting inputs away per intake once a job ends. */
public class DeliveryConfiguration implements CamelConfiguration {

    @PropertyInject(value = "darkroom.mail.username", defaultValue = "")
    String mailUsername;
    @PropertyInject(value = "darkroom.mail.from", defaultValue = "")
    String mailFrom;
    @PropertyInject("darkroom.mail.max-attachment-bytes")
    long maxAttachmentBytes;
    @PropertyInject(value = "darkroom.webhook.secret", defaultValue = "")
    String webhookSecret;
    @PropertyInject(value = "darkroom.webhook.allowed-http-hosts", defaultValue = "")
    String allowedHttpHosts;
    @PropertyInject("darkroom.webhook.max-attempts")
    int webhookAttempts;
    @PropertyInject("darkroom.webhook.initial-delay")
    String webhookInitialDelay;
    @PropertyInject("darkroom.webhook.max-delay")
    String webhookMaxDelay;

    @Override
    public void configure(CamelContext context) {
        Registry registry = context.getRegistry();
        Clock clock = Clock.systemUTC();
        Folders folders = registry.findSingleByType(Folders.class);
        JobLedger ledger = registry.findSingleByType(JobLedger.class);
        S3Connection s3 = registry.findSingleByType(S3Connection.class);
        BucketFolders buckets = registry.findSingleByType(BucketFolders.class);

        Manifest manifest = new Manifest();
        registry.bind("manifest", manifest);
        registry.bind("outputFiles", new OutputFiles());
        registry.bind("bucketUploads", new BucketUploads(s3));
        registry.bind("mailReplies", new MailReplies(IntakeConfiguration.mailSender(mailFrom, mailUsername), maxAttachmentBytes,
                folders.outbox(), manifest));
        registry.bind("webhookCalls", new WebhookCalls(webhookSecret.isBlank() ? null : new WebhookSignature(webhookSecret.trim()), manifest,
                DestinationRules.hosts(allowedHttpHosts), webhookAttempts, ProviderConfiguration.millis(webhookInitialDelay),
                ProviderConfiguration.millis(webhookMaxDelay), clock));

        JobArchive archive = new JobArchive(ledger, clock);
        archive.register("folder", new InputArchiver(folders.inbox(), folders.done(), folders.failed(), folders.held(), clock));
        archive.register("s3", new BucketArchiver(s3, buckets.inbox(), buckets.done(), buckets.failed(), buckets.held(),
                registry.findSingleByType(BucketStaging.class), clock));
        archive.register("mail", new MailArchiver(registry.findSingleByType(MailSpool.class)));
        registry.bind("jobArchive", archive);
    }
}
