package io.darkroom.job;

/** The kinds of provider request a job makes; each counts its own failed attempts against its own limit. */
public enum RequestKind {
    UPLOAD, SUBMIT, POLL, DOWNLOAD
}
